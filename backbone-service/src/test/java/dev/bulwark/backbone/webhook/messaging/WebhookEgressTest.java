package dev.bulwark.backbone.webhook.messaging;

import static dev.bulwark.backbone.TestClients.adminToken;
import static dev.bulwark.backbone.TestClients.register;
import static dev.bulwark.backbone.TestClients.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.broker.messaging.Topology;
import dev.bulwark.backbone.client.persistence.Client;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks pass the egress policy. The test profile allow-lists 127.0.0.1 only (its receivers), so 127.0.0.2 —
 * loopback like it, and reachable on Linux — stands for an internal address a webhook must never reach.
 */
@QuarkusTest
class WebhookEgressTest {

    @Inject
    Topology topology;

    @Inject
    WebhookPusher pusher;

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    /** An HTTP server on {@code host} counting requests and answering each with {@code status} (and a Location). */
    static final class Server implements AutoCloseable {
        final AtomicInteger hits = new AtomicInteger();
        final HttpServer http;

        Server(String host, int status, String location) throws IOException {
            http = HttpServer.create(new InetSocketAddress(host, 0), 0);
            http.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                hits.incrementAndGet();
                if (location != null) {
                    exchange.getResponseHeaders().add("Location", location);
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            http.start();
        }

        String url() {
            return "http://" + http.getAddress().getAddress().getHostAddress() + ":" + http.getAddress().getPort()
                    + "/hook";
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    @Test
    void aWebhookOnAnInternalAddressIsRefusedWithTheReason() {
        Map<String, String> refused = Map.of(
                "http://127.0.0.2:8080/hook", "127.0.0.2 is a loopback address",
                "http://[::1]:8080/hook", "is a loopback address",
                "http://10.20.30.40/hook", "10.20.30.40 is a private address",
                "http://192.168.1.1/hook", "is a private address",
                "http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address",
                "http://0.0.0.0:8083/hook", "is an unspecified (any-local) address");
        refused.forEach((url, reason) -> given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", "egress-" + System.nanoTime(), "subscriptions", List.of("e.#"),
                        "webhook", Map.of("url", url)))
                .when().post("/api/v1/clients")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", endsWith("egress-refused"))
                .body("detail", containsString(reason)));

        TestClients.Registered client = register(List.of("e.#"), List.of(), false);
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("webhook", Map.of("url", "http://169.254.169.254/latest/meta-data/")))
                .when().patch("/api/v1/clients/" + client.clientId())
                .then().statusCode(400).body("detail", containsString("link-local"));
        given().auth().oauth2(adminToken()).when().get("/api/v1/clients/" + client.clientId())
                .then().statusCode(200).body("webhook", nullValue());
    }

    /**
     * A webhook stored before the policy (or whose name now resolves to an internal address) is checked again on
     * every push: nothing reaches it, and the message is dead-lettered after the last attempt.
     */
    @Test
    void everyPushChecksTheDestinationAgain() throws Exception {
        String root = TestClients.uniqueRoot();
        try (Server allowed = new Server("127.0.0.1", 200, null);
             Server internal = new Server("127.0.0.2", 200, null)) {
            TestClients.Registered hooked = register(List.of(root + ".#"), List.of(), false, allowed.url());
            TestClients.Registered sender = register(List.of(), List.of(root + ".#"), false);
            QuarkusTransaction.requiringNew().run(() -> Client.<Client>findById(hooked.clientId()).webhookUrl =
                    internal.url());
            pusher.restart(hooked.clientId());

            send(sender, root + ".x", 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> topology.depth(Names.deadLetters(hooked.clientId())) == 1);
            assertEquals(0, internal.hits.get());
            assertEquals(0, allowed.hits.get());
        }
    }

    @Test
    void aRedirectIsNotFollowedAndCountsAsAFailedAttempt() throws Exception {
        String root = TestClients.uniqueRoot();
        try (Server internal = new Server("127.0.0.2", 200, null);
             Server redirecting = new Server("127.0.0.1", 307, internal.url())) {
            TestClients.Registered hooked = register(List.of(root + ".#"), List.of(), false, redirecting.url());
            TestClients.Registered sender = register(List.of(), List.of(root + ".#"), false);

            send(sender, root + ".x", 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> topology.depth(Names.deadLetters(hooked.clientId())) == 1);
            assertEquals(0, internal.hits.get());
            assertTrue(redirecting.hits.get() >= 2, "every attempt reached the allowed receiver");
        }
    }
}
