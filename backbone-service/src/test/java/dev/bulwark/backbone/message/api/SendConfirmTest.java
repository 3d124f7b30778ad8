package dev.bulwark.backbone.message.api;

import static dev.bulwark.backbone.TestClients.drain;
import static dev.bulwark.backbone.TestClients.ids;
import static dev.bulwark.backbone.TestClients.register;
import static dev.bulwark.backbone.TestClients.send;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.GetResponse;
import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.TestClients.Registered;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.broker.messaging.Topology;
import dev.bulwark.backbone.client.persistence.Client;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A send is answered from the broker's confirm: 202 only once confirmed, 503 when the broker refuses it. */
@QuarkusTest
class SendConfirmTest {

    @Inject
    Topology topology;

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    /**
     * A queue that rejects every publish makes the broker nack the message (reject-publish with confirms): the send
     * must answer 503 as a problem, never 202, and the next send is confirmed on a fresh channel.
     */
    @Test
    void aSendTheBrokerNacksAnswers503() {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".ok.#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        String orgId = QuarkusTransaction.requiringNew()
                .call(() -> Client.<Client>findById(sender.clientId()).orgId);
        String refusing = "bulwark.test." + root + ".refusing";
        topology.withChannel(channel -> {
            topology.declareExchanges(channel, orgId);
            channel.queueDeclare(refusing, false, false, true,
                    Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
            channel.queueBind(refusing, Names.publish(orgId), root + ".refused.#");
            return null;
        });
        try {
            for (String path : List.of("/api/v1/send", "/api/v1/send/batch")) {
                Object body = path.endsWith("batch")
                        ? Map.of("messages", List.of(Map.of("topic", root + ".ok.first", "payload", 1),
                                Map.of("topic", root + ".refused.x", "payload", 2)))
                        : Map.of("topic", root + ".refused.x", "payload", 1);
                given().auth().oauth2(sender.token()).contentType(ContentType.JSON).body(body)
                        .when().post(path)
                        .then().statusCode(503)
                        .contentType(startsWith("application/problem+json"))
                        .header("Retry-After", "1")
                        .body("status", equalTo(503))
                        .body("type", endsWith("unavailable"));
            }
            String confirmed = send(sender, root + ".ok.after", 3);
            // The batch's first message was routed before its sibling was refused: a 503 may duplicate, not lose.
            List<String> received = ids(drain(receiver));
            assertEquals(confirmed, received.get(received.size() - 1));
        } finally {
            topology.withChannel(channel -> channel.queueDelete(refusing));
        }
    }

    /** The publish runs on a worker thread, still inside the request's trace: the message carries its traceparent. */
    @Test
    void aSentMessageCarriesTheRequestsTraceContext() {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        String id = send(sender, root + ".traced", 1);
        GetResponse message = topology.withChannel(channel -> channel.basicGet(Names.inbox(receiver.clientId()), true));
        assertEquals(id, message.getProps().getMessageId());
        assertTrue(message.getProps().getHeaders().containsKey("traceparent"), message.getProps().toString());
    }

    /**
     * Many sends waiting for their confirms at once, on the shared channels: each gets its own 202 and id, and each
     * message is in the inbox (40: the test profile bounds inboxes at 50).
     */
    @Test
    void concurrentSendsAreAllConfirmedAndDelivered() {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<String>> sends = IntStream.range(0, 40)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> send(sender, root + ".m" + i, i), pool))
                    .toList();
            Set<String> sent = new HashSet<>();
            sends.forEach(s -> sent.add(s.join()));
            assertEquals(40, sent.size());
            assertEquals(sent, new HashSet<>(ids(drain(receiver))));
        } finally {
            pool.shutdownNow();
        }
    }
}
