package dev.bulwark.backbone.webhook.messaging;

import static dev.bulwark.backbone.TestClients.register;
import static dev.bulwark.backbone.TestClients.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.matchesRegex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.TestClients.Registered;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.broker.messaging.Topology;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WebhookPushTest {

    @Inject
    Topology topology;

    /** What the receiver saw of one POST. */
    record Hit(String messageId, String timestamp, String signature, int attempt, byte[] body) {
    }

    /** A local HTTP server standing in for a client's webhook endpoint. */
    static final class Receiver implements AutoCloseable {
        final List<Hit> hits = new CopyOnWriteArrayList<>();
        final AtomicInteger status = new AtomicInteger(200);
        /** While closed, the receiver holds every request without answering, like a hung endpoint. */
        final CountDownLatch answer;
        final int port;
        HttpServer server;

        Receiver(int port) {
            this(port, new CountDownLatch(0));
        }

        Receiver(int port, CountDownLatch answer) {
            this.port = port;
            this.answer = answer;
        }

        Receiver start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var headers = exchange.getRequestHeaders();
                hits.add(new Hit(headers.getFirst("X-Bulwark-Message-Id"), headers.getFirst("X-Bulwark-Timestamp"),
                        headers.getFirst("X-Bulwark-Signature"),
                        Integer.parseInt(headers.getFirst("X-Bulwark-Attempt")), body));
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(status.get(), -1);
                exchange.close();
            });
            server.start();
            return this;
        }

        String url() {
            return "http://127.0.0.1:" + port + "/hook";
        }

        List<String> ids() {
            return hits.stream().map(Hit::messageId).toList();
        }

        @Override
        public void close() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    @Test
    void aReceiverThatIsDownGetsEverythingInOrderAndSignedOnceItIsBack() throws Exception {
        String root = TestClients.uniqueRoot();
        try (Receiver receiver = new Receiver(freePort())) {
            Registered hooked = register(List.of(root + ".#"), List.of(), false, receiver.url());
            Registered sender = register(List.of(), List.of(root + ".#"), false);
            List<String> sent = List.of(send(sender, root + ".a", 1), send(sender, root + ".b", 2),
                    send(sender, root + ".c", 3));

            // Nothing listens yet: wait until the pusher has failed at least once, then bring the receiver up.
            await().atMost(Duration.ofSeconds(10)).until(() -> given().when().get("/q/metrics").asString()
                    .contains("bulwark_backbone_webhook_latency_seconds_count{client=\"" + hooked.clientId()
                            + "\",outcome=\"failed\"}"));
            receiver.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.hits.size() >= 3);
            assertEquals(sent, receiver.ids());
            for (Hit hit : receiver.hits) {
                String expected = "sha256=" + WebhookDelivery.sign(hooked.webhookSecret(), hit.timestamp(), hit.body());
                assertEquals(expected, hit.signature());
                assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(hit.timestamp())) < 60);
                assertTrue(new String(hit.body(), StandardCharsets.UTF_8).contains("\"id\":\"" + hit.messageId() + "\""));
            }
            assertTrue(receiver.hits.get(0).attempt() > 1, "the first message was retried");
            await().atMost(Duration.ofSeconds(10)).until(() -> topology.depth(Names.inbox(hooked.clientId())) == 0);
            assertEquals(0, topology.depth(Names.deadLetters(hooked.clientId())));
        }
    }

    @Test
    void aMessageThatKeepsFailingIsDeadLetteredAndTheNextOneFollows() throws Exception {
        String root = TestClients.uniqueRoot();
        try (Receiver receiver = new Receiver(freePort()).start()) {
            receiver.status.set(500);
            Registered hooked = register(List.of(root + ".#"), List.of(), false, receiver.url());
            Registered sender = register(List.of(), List.of(root + ".#"), false);
            String doomed = send(sender, root + ".a", 1);
            String next = send(sender, root + ".b", 2);

            // The test profile allows 6 attempts.
            await().atMost(Duration.ofSeconds(30)).until(() -> topology.depth(Names.deadLetters(hooked.clientId())) == 1);
            assertEquals(List.of(1, 2, 3, 4, 5, 6), receiver.hits.stream().filter(h -> doomed.equals(h.messageId()))
                    .map(Hit::attempt).toList());
            receiver.status.set(204);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.ids().contains(next)
                    && topology.depth(Names.inbox(hooked.clientId())) == 0);
            assertEquals(next, receiver.hits.get(receiver.hits.size() - 1).messageId());
            given().when().get("/q/metrics").then()
                    .body(matchesRegex("(?s).*bulwark_backbone_messages_dead_lettered_total\\{client=\""
                            + hooked.clientId() + "\",reason=\"webhook\"} 1\\.0.*"));
        }
    }

    @Test
    void aHungReceiverDelaysOnlyItsOwnClient() throws Exception {
        String root = TestClients.uniqueRoot();
        CountDownLatch hung = new CountDownLatch(1);
        try (Receiver stuck = new Receiver(freePort(), hung).start();
             Receiver healthy = new Receiver(freePort()).start()) {
            register(List.of(root + ".slow"), List.of(), false, stuck.url());
            register(List.of(root + ".fast"), List.of(), false, healthy.url());
            Registered sender = register(List.of(), List.of(root + ".#"), false);
            send(sender, root + ".slow", "first");
            await().atMost(Duration.ofSeconds(10)).until(() -> stuck.hits.size() == 1);

            List<String> sent = List.of(send(sender, root + ".fast", 1), send(sender, root + ".fast", 2));
            await().atMost(Duration.ofSeconds(5)).until(() -> healthy.hits.size() == 2);
            assertEquals(sent, healthy.ids());
            assertEquals(1, stuck.hits.size());
            hung.countDown();
        }
    }

    @Test
    void aWebhookClientCannotAlsoReadItsInbox() throws Exception {
        try (Receiver receiver = new Receiver(freePort()).start()) {
            Registered hooked = register(List.of(TestClients.uniqueRoot() + ".#"), List.of(), false, receiver.url());
            given().auth().oauth2(hooked.token()).when().get("/api/v1/receive").then().statusCode(409);
            given().auth().oauth2(TestClients.adminToken()).when().get("/api/v1/clients/" + hooked.clientId())
                    .then().statusCode(200).body("webhook.url", org.hamcrest.Matchers.equalTo(receiver.url()))
                    .body("webhook.secret", org.hamcrest.Matchers.nullValue());
        }
    }
}
