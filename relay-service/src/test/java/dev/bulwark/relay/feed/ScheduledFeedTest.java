package dev.bulwark.relay.feed;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.relay.indicator.persistence.IndicatorStore;
import dev.bulwark.relay.support.Feeds;
import dev.bulwark.relay.support.Relay;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScheduledFeedTest {

    @Inject
    IndicatorStore store;

    @Test
    void aFileFeedIsPulledOnItsScheduleAndAgainOnlyWhenItChanges() throws IOException {
        Path root = Files.createDirectories(Path.of("target/test-feeds", TestTokens.ORG));
        String net = Relay.uniqueNet();
        Path file = root.resolve(Relay.unique("feed") + ".csv");
        Files.writeString(file, net + ".1\n" + net + ".2\n");
        String name = Relay.unique("file-feed");

        String id = given().auth().oauth2(Relay.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "url", file.toAbsolutePath().toUri().toString(), "format", "csv",
                        "disposition", 3, "intervalSeconds", 1))
                .when().post("/api/v1/feeds")
                .then().statusCode(201).header("Location", Matchers.containsString("/api/v1/feeds/"))
                .extract().path("id");

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                Relay.post("/deliberate/observables", Relay.clientToken(), Relay.observables("ip", net + ".2"))
                        .body("data.verdicts.docs[0].disposition_name", Matchers.equalTo("Suspicious")));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(Relay.adminToken()).when().get("/api/v1/feeds/" + id)
                        .then().body("lastOutcome", Matchers.equalTo("not-modified")));

        Files.writeString(file, net + ".1\n" + net + ".2\n" + net + ".3\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                Relay.post("/deliberate/observables", Relay.clientToken(), Relay.observables("ip", net + ".3"))
                        .body("data.verdicts.count", Matchers.equalTo(1)));

        given().auth().oauth2(Relay.adminToken()).when().delete("/api/v1/feeds/" + id).then().statusCode(204);
        given().auth().oauth2(Relay.adminToken()).when().get("/api/v1/feeds/" + id).then().statusCode(404);
    }

    @Test
    void anHttpFeedIsFetchedWithConditionalRequests() {
        String net = Relay.uniqueNet();
        String path = "/feeds/" + Relay.unique("misp") + ".json";
        String event = Feeds.sample("misp-event.json", Map.of("NET", net, "DOMAIN", Relay.unique("h") + ".example",
                "TAG", "t", "MD5", "12".repeat(16)));
        Relay.thirdParty().register(get(urlEqualTo(path)).withHeader("If-None-Match", equalTo("\"v1\""))
                .willReturn(aResponse().withStatus(304)));
        Relay.thirdParty().register(get(urlEqualTo(path)).atPriority(10)
                .willReturn(aResponse().withHeader("ETag", "\"v1\"").withBody(event)));

        String id = given().auth().oauth2(Relay.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", Relay.unique("http-feed"), "url", "http://" + Relay.jwksHost() + path,
                        "format", "misp", "intervalSeconds", 3600))
                .when().post("/api/v1/feeds")
                .then().statusCode(201).extract().path("id");

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(Relay.adminToken()).when().get("/api/v1/feeds/" + id)
                        .then().body("lastOutcome", startsWith("imported: 4 added")));
        given().auth().oauth2(Relay.adminToken()).when().post("/api/v1/feeds/" + id + "/pull")
                .then().statusCode(200).body("status", Matchers.equalTo("not-modified"))
                .body("report", Matchers.nullValue());
        Relay.thirdParty().verifyThat(exactly(1), getRequestedFor(urlEqualTo(path))
                .withHeader("If-None-Match", equalTo("\"v1\"")));
        Relay.post("/deliberate/observables", Relay.clientToken(), Relay.observables("ip", net + ".5"))
                .body("data.verdicts.docs[0].disposition_name", Matchers.equalTo("Malicious"));
        given().auth().oauth2(Relay.adminToken()).when().delete("/api/v1/feeds/" + id).then().statusCode(204);
    }

    @Test
    void feedUrlsOutsideTheAllowedSchemesAndRootAreRefused() {
        for (String url : new String[] {"file:///etc/passwd", "ftp://feeds.example/x.csv", "gopher://x"}) {
            given().auth().oauth2(Relay.adminToken()).contentType(ContentType.JSON)
                    .body(Map.of("name", Relay.unique("bad"), "url", url, "format", "csv", "disposition", 2))
                    .when().post("/api/v1/feeds")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"));
        }
        given().auth().oauth2(Relay.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", "", "url", "https://feeds.example/x", "format", "yaml"))
                .when().post("/api/v1/feeds")
                .then().statusCode(400).body("errors.field", Matchers.containsInAnyOrder("name", "format"));
        given().auth().oauth2(Relay.clientToken()).when().get("/api/v1/feeds").then().statusCode(403);
    }

    @Test
    void indicatorsPastTheirValidityAreExpired() {
        String domain = Relay.unique("exp") + ".example";
        Relay.importFeed("csv", Relay.unique("exp"), 2, "value,valid_until\n" + domain + ",2020-01-01\nlive."
                + domain + ",2999-01-01\n").statusCode(200);
        given().auth().oauth2(Relay.clientToken()).queryParam("value", domain).when().get("/api/v1/indicators")
                .then().body("", hasSize(1));
        Relay.post("/observe/observables", Relay.clientToken(), Relay.observables("domain", domain))
                .body("data", Matchers.anEmptyMap());

        store.expire();

        given().auth().oauth2(Relay.clientToken()).queryParam("value", domain).when().get("/api/v1/indicators")
                .then().body("", hasSize(0));
        given().auth().oauth2(Relay.clientToken()).queryParam("value", "live." + domain)
                .when().get("/api/v1/indicators").then().body("", hasSize(1));
    }
}
