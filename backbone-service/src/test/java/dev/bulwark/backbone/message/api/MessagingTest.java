package dev.bulwark.backbone.message.api;

import static dev.bulwark.backbone.TestClients.drain;
import static dev.bulwark.backbone.TestClients.ids;
import static dev.bulwark.backbone.TestClients.register;
import static dev.bulwark.backbone.TestClients.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.TestClients.Registered;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.broker.messaging.Topology;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MessagingTest {

    @Inject
    Topology topology;

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    @Test
    void topicsReachExactlyTheInboxesWhosePatternsMatch() {
        String root = TestClients.uniqueRoot();
        Registered oneWord = register(List.of(root + ".*.car.#"), List.of(), false);
        Registered operator = register(List.of(root + ".op1.#"), List.of(), false);
        Registered other = register(List.of(root + ".op2.*"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);

        String toBoth = send(sender, root + ".op1.car.v7.send.status", Map.of("speed", 42));
        String hashMatchesNothing = send(sender, root + ".op3.car", Map.of("n", 2));
        String onlyOther = send(sender, root + ".op2.truck", Map.of("n", 3));
        send(sender, root + ".op2.truck.v1", Map.of("n", 4));

        var received = drain(oneWord);
        assertEquals(List.of(toBoth, hashMatchesNothing), ids(received));
        assertEquals(List.of(toBoth), ids(drain(operator)));
        assertEquals(List.of(onlyOther), ids(drain(other)));

        Map<String, Object> envelope = received.get(0);
        assertEquals(root + ".op1.car.v7.send.status", envelope.get("topic"));
        assertEquals(sender.clientId(), envelope.get("sender"));
        assertEquals(Map.of("speed", 42), envelope.get("payload"));
        assertTrue(envelope.containsKey("sentAt"));
    }

    @Test
    void theSenderIsStampedFromTheTokenAndTheCorrelationIdKept() {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        given().auth().oauth2(sender.token()).contentType(ContentType.JSON)
                .body(Map.of("topic", root + ".x", "payload", List.of(1, 2), "correlationId", "c-1",
                        "sender", "someone-else"))
                .when().post("/api/v1/send").then().statusCode(202);
        Map<String, Object> message = drain(receiver).get(0);
        assertEquals(sender.clientId(), message.get("sender"));
        assertEquals("c-1", message.get("correlationId"));
        assertEquals(List.of(1, 2), message.get("payload"));
    }

    @Test
    void broadcastReachesEveryInboxAndNeedsTheRight() {
        Registered announcer = register(List.of(), List.of(), true);
        Registered a = register(List.of(TestClients.uniqueRoot() + ".#"), List.of(), false);
        Registered b = register(List.of(), List.of(), false);
        String id = given().auth().oauth2(announcer.token()).contentType(ContentType.JSON)
                .body(Map.of("payload", Map.of("text", "maintenance at 10:00")))
                .when().post("/api/v1/notify")
                .then().statusCode(202).extract().path("id");
        for (Registered client : List.of(a, b, announcer)) {
            var messages = drain(client);
            assertTrue(ids(messages).contains(id), "broadcast missing for " + client.clientId());
            assertEquals("broadcast", messages.stream().filter(m -> id.equals(m.get("id"))).findFirst()
                    .orElseThrow().get("topic"));
        }
        given().auth().oauth2(a.token()).contentType(ContentType.JSON).body(Map.of("payload", "hi"))
                .when().post("/api/v1/notify")
                .then().statusCode(403).contentType(startsWith("application/problem+json"));
    }

    @Test
    void publishingOutsideTheRightsIsForbiddenAndPublishesNothing() {
        String root = TestClients.uniqueRoot();
        Registered listener = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".allowed.*"), false);
        given().auth().oauth2(sender.token()).contentType(ContentType.JSON)
                .body(Map.of("topic", root + ".forbidden.x", "payload", "no"))
                .when().post("/api/v1/send")
                .then().statusCode(403).contentType(startsWith("application/problem+json"));
        // One forbidden topic fails the whole batch: nothing of it is published.
        given().auth().oauth2(sender.token()).contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("topic", root + ".allowed.x", "payload", 1),
                        Map.of("topic", root + ".allowed.x.y", "payload", 2))))
                .when().post("/api/v1/send/batch")
                .then().statusCode(403);
        String allowed = send(sender, root + ".allowed.x", "yes");
        assertEquals(List.of(allowed), ids(drain(listener)));
    }

    @Test
    void aClientReadsOnlyItsOwnInbox() {
        String root = TestClients.uniqueRoot();
        Registered owner = register(List.of(root + ".#"), List.of(), false);
        Registered nosy = register(List.of(), List.of(root + ".#"), false);
        String id = send(nosy, root + ".secret", "for the owner");
        assertEquals(List.of(), drain(nosy));
        given().auth().oauth2(TestTokens.builder().subject(owner.clientId()).roles(Roles.ADMIN).build())
                .when().get("/api/v1/receive").then().statusCode(403);
        // A valid backbone-client token of an account that is not registered here is refused.
        given().auth().oauth2(TestTokens.builder().subject("sa-not-registered").roles(Roles.BACKBONE_CLIENT).build())
                .when().get("/api/v1/receive").then().statusCode(403);
        assertEquals(List.of(id), ids(drain(owner)));
    }

    @Test
    void batchesArePublishedInOrder() {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        List<Map<String, Object>> batch = IntStream.range(0, 20)
                .mapToObj(i -> Map.<String, Object>of("topic", root + ".n" + i, "payload", i)).toList();
        List<String> sent = given().auth().oauth2(sender.token()).contentType(ContentType.JSON)
                .body(Map.of("messages", batch))
                .when().post("/api/v1/send/batch")
                .then().statusCode(202).body("ids", hasSize(20)).extract().path("ids");
        assertEquals(sent, ids(drain(receiver)));
    }

    @Test
    void receiveLongPollsUntilAMessageArrives() {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        CompletableFuture<List<String>> polled = CompletableFuture.supplyAsync(() -> given()
                .auth().oauth2(receiver.token()).queryParam("wait", 20).queryParam("max", 5)
                .when().get("/api/v1/receive")
                .then().statusCode(200).extract().jsonPath().getList("messages.id"));
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !polled.isDone());
        String id = send(sender, root + ".late", "here");
        assertEquals(List.of(id), polled.orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join());
    }

    /**
     * A message that arrives for a waiting receive is handed over by the inbox session's consumer and acknowledged
     * once the response was written: after the session idled out (1 s in the test profile) it is not back.
     */
    @Test
    void aMessageHandedToAWaitingReceiveIsAcknowledgedOnceWritten() throws InterruptedException {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        CompletableFuture<List<String>> polled = CompletableFuture.supplyAsync(() -> given()
                .auth().oauth2(receiver.token()).queryParam("wait", 20)
                .when().get("/api/v1/receive")
                .then().statusCode(200).extract().jsonPath().getList("messages.id"));
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !polled.isDone());
        String id = send(sender, root + ".late", "here");
        assertEquals(List.of(id), polled.orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join());
        Thread.sleep(3000);
        assertEquals(0, topology.depth(Names.inbox(receiver.clientId())));
        assertEquals(List.of(), ids(TestClients.receive(receiver, 10)));
    }

    @Test
    void invalidBodiesAndParametersAreBadRequests() {
        String root = TestClients.uniqueRoot();
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        for (Object body : List.<Object>of(Map.of("payload", 1), Map.of("topic", root + ".x"),
                Map.of("topic", root + ".*", "payload", 1), Map.of("topic", root + "..x", "payload", 1),
                "{\"topic\": ", "[1,2]")) {
            given().auth().oauth2(sender.token()).contentType(ContentType.JSON).body(body)
                    .when().post("/api/v1/send")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"));
        }
        given().auth().oauth2(sender.token()).contentType(ContentType.JSON).body(Map.of("messages", List.of()))
                .when().post("/api/v1/send/batch").then().statusCode(400);
        given().auth().oauth2(sender.token()).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/notify").then().statusCode(400);
        given().auth().oauth2(sender.token()).queryParam("max", 0)
                .when().get("/api/v1/receive").then().statusCode(400).body("errors.field", hasItem("query.max"));
        given().auth().oauth2(sender.token()).queryParam("wait", 3600)
                .when().get("/api/v1/receive").then().statusCode(400).body("errors.field", hasItem("query.wait"));
    }

    @Test
    void anInboxOverItsMaxLengthDeadLettersTheOldest() {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        List<String> sent = new ArrayList<>();
        for (int chunk = 0; chunk < 3; chunk++) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(Map.of("topic", root + ".m", "payload", chunk * 20 + i));
            }
            sent.addAll(given().auth().oauth2(sender.token()).contentType(ContentType.JSON)
                    .body(Map.of("messages", batch)).when().post("/api/v1/send/batch")
                    .then().statusCode(202).extract().<List<String>>path("ids"));
        }
        // The test profile bounds inboxes at 50 messages: the 10 oldest of 60 went to the dead-letter queue.
        await().atMost(Duration.ofSeconds(10)).until(() -> topology.depth(Names.deadLetters(receiver.clientId())) == 10);
        assertEquals(sent.subList(10, 60), ids(drain(receiver)));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(
                        "bulwark_backbone_dead_letters_depth{client=\"" + receiver.clientId() + "\"} 10.0"));
    }

    @Test
    void sentMessagesAreCountedPerClient() {
        String root = TestClients.uniqueRoot();
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        send(sender, root + ".counted", 1);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(
                        "bulwark_backbone_messages_sent_total{client=\"" + sender.clientId() + "\",kind=\"topic\"} 1.0"));
        given().auth().oauth2(sender.token()).when().get("/api/v1/info").then().body("subject", equalTo(sender.clientId()));
    }
}
