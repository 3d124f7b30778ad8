package dev.bulwark.backbone.api;

import static dev.bulwark.backbone.TestClients.adminToken;
import static dev.bulwark.backbone.TestClients.drain;
import static dev.bulwark.backbone.TestClients.ids;
import static dev.bulwark.backbone.TestClients.otherAdminToken;
import static dev.bulwark.backbone.TestClients.register;
import static dev.bulwark.backbone.TestClients.registerInOtherOrg;
import static dev.bulwark.backbone.TestClients.send;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.MessageProperties;
import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.TestClients.Registered;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.broker.messaging.Topology;
import dev.bulwark.backbone.client.domain.TopologyRepair;
import dev.bulwark.backbone.client.persistence.Client;
import dev.bulwark.common.error.Unavailable;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two real organisations at the issuer: A (the bootstrap organisation) and B. */
@QuarkusTest
class OrganisationScopeTest {

    @Inject
    Topology topology;

    @Inject
    TopologyRepair repair;

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    @Test
    void aCatchAllSubscriberOfAnotherOrganisationHearsNothingOfA() {
        String root = TestClients.uniqueRoot();
        Registered aReceiver = register(List.of(root + ".#"), List.of(), false);
        Registered aSender = register(List.of(), List.of(root + ".#"), false);
        Registered bEverything = registerInOtherOrg(List.of("#"), List.of(), false);
        Registered bOneWordDeep = registerInOtherOrg(List.of("*.#", root + ".*"), List.of(), false);
        Registered bSender = registerInOtherOrg(List.of(), List.of("#"), false);

        String fromA = send(aSender, root + ".secret", Map.of("org", "a"));
        String fromB = send(bSender, root + ".own", Map.of("org", "b"));

        assertEquals(List.of(fromA), ids(drain(aReceiver)));
        assertEquals(List.of(fromB), ids(drain(bEverything)), "B's '#' hears B only");
        assertEquals(List.of(fromB), ids(drain(bOneWordDeep)));
    }

    @Test
    void anotherOrganisationCannotPublishOnTopicsOfA() {
        String root = TestClients.uniqueRoot();
        Registered aReceiver = register(List.of(root + ".#", "#"), List.of(), false);
        Registered bSender = registerInOtherOrg(List.of(), List.of("#"), false);

        // B may publish on a topic of that name, but it is B's topic: A's inbox never sees it.
        send(bSender, root + ".orders.created", Map.of("forged", true));
        given().auth().oauth2(bSender.token()).contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("topic", root + ".orders.x", "payload", 1))))
                .when().post("/api/v1/send/batch").then().statusCode(202);
        assertEquals(List.of(), drain(aReceiver));
    }

    @Test
    void aBroadcastStaysInTheOrganisationOfItsSender() {
        Registered aListener = register(List.of(), List.of(), false);
        Registered aBroadcaster = register(List.of(), List.of(), true);
        Registered bListener = registerInOtherOrg(List.of("#"), List.of(), false);
        Registered bBroadcaster = registerInOtherOrg(List.of(), List.of(), true);

        String fromA = notify(aBroadcaster, "a");
        String fromB = notify(bBroadcaster, "b");

        assertEquals(List.of(fromA), ids(drain(aListener)));
        assertEquals(List.of(fromB), ids(drain(bListener)));
    }

    @Test
    void anAdminOfAnotherOrganisationFindsNoneOfAsClients() {
        Registered aClient = register(List.of("x.#"), List.of(), false);
        String path = "/api/v1/clients/" + aClient.clientId();
        String b = otherAdminToken();

        given().auth().oauth2(b).when().get("/api/v1/clients")
                .then().statusCode(200).body("clientId", not(hasItem(aClient.clientId())));
        given().auth().oauth2(b).when().get(path).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        Map<String, Object> everything = Map.of("subscriptions", List.of("#"), "publish", List.of("#"),
                "broadcast", true);
        given().auth().oauth2(b).contentType(ContentType.JSON).body(everything).when().put(path)
                .then().statusCode(404);
        given().auth().oauth2(b).contentType(ContentType.JSON).body(everything).when().patch(path)
                .then().statusCode(404);
        given().auth().oauth2(b).when().post(path + "/rotate-secret").then().statusCode(404);
        given().auth().oauth2(b).when().post(path + "/webhook/rotate-secret").then().statusCode(404);
        given().auth().oauth2(b).when().delete(path + "/webhook").then().statusCode(404);
        given().auth().oauth2(b).when().delete(path).then().statusCode(404);

        // Nothing changed: A's admin still sees the client as registered, and its secret still works.
        given().auth().oauth2(adminToken()).when().get(path).then().statusCode(200)
                .body("subscriptions", contains("x.#"));
        given().contentType(ContentType.JSON).body(Map.of("client_id", aClient.clientId(), "secret", aClient.secret()))
                .when().post("/token").then().statusCode(200);
    }

    @Test
    void aClientActsOnlyInTheOrganisationItWasRegisteredIn() {
        Registered aClient = register(List.of("y.#"), List.of("#"), true);
        String otherOrg = TestTokens.builder().subject(aClient.clientId()).org(UUID.randomUUID().toString())
                .roles(Roles.BACKBONE_CLIENT).build();
        given().auth().oauth2(otherOrg).contentType(ContentType.JSON).body(Map.of("topic", "y.z", "payload", 1))
                .when().post("/api/v1/send").then().statusCode(403);
        given().auth().oauth2(otherOrg).contentType(ContentType.JSON).body(Map.of("payload", 1))
                .when().post("/api/v1/notify").then().statusCode(403);
        given().auth().oauth2(otherOrg).when().get("/api/v1/receive").then().statusCode(403);

        String noOrg = TestTokens.builder().subject(aClient.clientId()).org("a.#")
                .roles(Roles.BACKBONE_CLIENT).build();
        given().auth().oauth2(noOrg).when().get("/api/v1/receive").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
    }

    /**
     * A client registered before organisations had exchanges of their own: its inbox is bound to the shared
     * exchanges and holds a message published there. The repair at start moves it into its organisation and
     * deletes the shared exchanges; the queued message is still received.
     */
    @Test
    void aMessageQueuedBeforeTheMigrationIsReceivedAfterIt() throws Exception {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        Client stored = QuarkusTransaction.requiringNew().call(() -> Client.<Client>findById(receiver.clientId()));
        String inbox = Names.inbox(receiver.clientId());
        topology.unbindAll(stored.orgId, receiver.clientId(), stored.subscriptions);
        String queuedId = UUID.randomUUID().toString();
        topology.withChannel(channel -> {
            channel.exchangeDeclare(Names.SHARED_PUBLISH, BuiltinExchangeType.TOPIC, true);
            channel.exchangeDeclare(Names.SHARED_BROADCAST, BuiltinExchangeType.FANOUT, true);
            channel.queueBind(inbox, Names.SHARED_PUBLISH, root + ".#");
            channel.queueBind(inbox, Names.SHARED_BROADCAST, "");
            channel.confirmSelect();
            channel.basicPublish(Names.SHARED_PUBLISH, root + ".before", MessageProperties.PERSISTENT_BASIC.builder()
                    .contentType("application/json").messageId(queuedId).build(),
                    ("{\"id\":\"" + queuedId + "\",\"topic\":\"" + root + ".before\",\"sender\":\""
                            + sender.clientId() + "\",\"sentAt\":\"2026-11-01T00:00:00Z\",\"payload\":1}")
                            .getBytes(StandardCharsets.UTF_8));
            try {
                channel.waitForConfirmsOrDie(5000);
            } catch (InterruptedException | TimeoutException e) {
                throw new IOException(e);
            }
            return null;
        });
        assertEquals(1, topology.depth(inbox));

        repair.repair();

        String after = send(sender, root + ".after", 2);
        assertEquals(List.of(queuedId, after), ids(drain(receiver)));
        assertThrows(Unavailable.class, () -> topology.withChannel(
                channel -> channel.exchangeDeclarePassive(Names.SHARED_PUBLISH)));
        assertThrows(Unavailable.class, () -> topology.withChannel(
                channel -> channel.exchangeDeclarePassive(Names.SHARED_BROADCAST)));
    }

    private static String notify(Registered sender, String payload) {
        return given().auth().oauth2(sender.token()).contentType(ContentType.JSON).body(Map.of("payload", payload))
                .when().post("/api/v1/notify").then().statusCode(202).extract().path("id");
    }
}
