package dev.bulwark.backbone.message.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.TestClients.Registered;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-client cap on open reads ({@code %test}: 2 receives, 1 stream, see application.properties): over it the
 * client gets 429 with Retry-After, other clients are not affected, and a place frees when a read ends.
 */
@QuarkusTest
class ReadLimitTest {

    @TestHTTPResource("/")
    URI base;

    // HTTP/1.1: each long poll on a connection of its own, with no h2c upgrade in between.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    @Test
    void aClientHoldsAtMostTheConfiguredReceivesOpen() {
        String root = TestClients.uniqueRoot();
        Registered client = TestClients.register(List.of(root + ".#"), List.of(root + ".#"), false);
        Registered other = TestClients.register(List.of(), List.of(), false);
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            polls.add(http.sendAsync(request(client, "api/v1/receive?wait=25"), HttpResponse.BodyHandlers.ofString()));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().auth().oauth2(client.token()).when().get("/api/v1/receive")
                        .then().statusCode(429).header("Retry-After", "1")
                        .contentType(containsString("application/problem+json"))
                        .body("type", endsWith("too-many-requests"))
                        .body("detail", containsString("bulwark.backbone.receive.max-concurrent")));
        given().auth().oauth2(other.token()).when().get("/api/v1/receive").then().statusCode(200);

        TestClients.send(client, root + ".wake", Map.of("n", 1));
        HttpResponse<String> woken = CompletableFuture.anyOf(polls.toArray(CompletableFuture[]::new))
                .thenApply(r -> (HttpResponse<String>) r).orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        assertEquals(200, woken.statusCode());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().auth().oauth2(client.token()).when().get("/api/v1/receive").then().statusCode(200));
    }

    @Test
    void aClientHoldsAtMostTheConfiguredStreamsOpen() throws Exception {
        Registered client = TestClients.register(List.of(), List.of(), false);
        Registered other = TestClients.register(List.of(), List.of(), false);
        HttpResponse<InputStream> open = http.send(request(client, "api/v1/stream"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, open.statusCode());
        try (InputStream stream = open.body()) {
            given().auth().oauth2(client.token()).when().get("/api/v1/stream")
                    .then().statusCode(429).header("Retry-After", "1")
                    .body("detail", containsString("bulwark.backbone.stream.max-concurrent"));
            HttpResponse<InputStream> others = http.send(request(other, "api/v1/stream"),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, others.statusCode());
            others.body().close();
        }
    }

    private HttpRequest request(Registered client, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + client.token())
                .timeout(Duration.ofSeconds(60)).build();
    }
}
