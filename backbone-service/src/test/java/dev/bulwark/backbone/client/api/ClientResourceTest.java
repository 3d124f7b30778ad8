package dev.bulwark.backbone.client.api;

import static dev.bulwark.backbone.TestClients.adminToken;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.backbone.RealIssuer;
import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.broker.messaging.Topology;
import dev.bulwark.backbone.client.domain.SecretBox;
import dev.bulwark.backbone.client.persistence.Client;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.SecurityContract;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClientResourceTest {

    @Inject
    Topology topology;

    @Inject
    SecretBox secretBox;

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    @Test
    void theAdminApiNeedsTheAdminRole() {
        SecurityContract.assertProtected("GET", "/api/v1/clients", Roles.ADMIN, Roles.BACKBONE_CLIENT, 200);
    }

    @Test
    void registrationCreatesTheAccountTheInboxAndShowsTheSecretOnce() {
        String name = "sensor-" + System.nanoTime();
        var created = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "subscriptions", List.of("a.b.#", "x.*.y"), "publish", List.of("a.*.send.#"),
                        "broadcast", true))
                .when().post("/api/v1/clients")
                .then().statusCode(201)
                .header("Location", startsWith("http"))
                .body("secret", notNullValue())
                .body("name", equalTo(name))
                .body("subscriptions", contains("a.b.#", "x.*.y"))
                .body("publish", contains("a.*.send.#"))
                .body("broadcast", equalTo(true))
                .body("webhook", nullValue())
                .extract().jsonPath();
        String clientId = created.getString("clientId");

        // The account is real: the issuer hands out a backbone-client token for the returned secret.
        String token = RealIssuer.workflow().clientCredentialsToken(clientId, created.getString("secret"));
        given().auth().oauth2(token).when().get("/api/v1/info")
                .then().statusCode(200).body("subject", equalTo(clientId)).body("roles", contains("backbone-client"));
        assertEquals(0, topology.depth(Names.inbox(clientId)));
        assertEquals(0, topology.depth(Names.deadLetters(clientId)));

        given().auth().oauth2(adminToken()).when().get("/api/v1/clients/" + clientId)
                .then().statusCode(200).body("clientId", equalTo(clientId)).body("secret", nullValue());
        given().auth().oauth2(adminToken()).when().get("/api/v1/clients")
                .then().statusCode(200).body("clientId", hasItem(clientId)).body("secret", not(hasItem(notNullValue())));
        given().auth().oauth2(adminToken()).when().delete("/api/v1/clients/" + clientId).then().statusCode(200);
    }

    @Test
    void theOriginalTokenFlowWorksAndRotationReplacesTheSecret() {
        TestClients.Registered client = TestClients.register(List.of("r.#"), List.of(), false);
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("client_id", client.clientId(), "secret", client.secret()))
                .when().post("/token")
                .then().statusCode(200).body("token_type", equalTo("Bearer")).extract().path("access_token");
        given().auth().oauth2(token).when().get("/api/v1/receive").then().statusCode(200);

        String rotated = given().auth().oauth2(adminToken())
                .when().post("/api/v1/clients/" + client.clientId() + "/rotate-secret")
                .then().statusCode(200).extract().path("secret");
        given().contentType(ContentType.JSON).body(Map.of("client_id", client.clientId(), "secret", client.secret()))
                .when().post("/token").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body(Map.of("client_id", client.clientId(), "secret", rotated))
                .when().post("/token").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("client_id", "sa-unknown", "secret", rotated))
                .when().post("/token").then().statusCode(401);
    }

    @Test
    void invalidRegistrationsAreRefusedWithTheFieldsAtFault() {
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("subscriptions", List.of("a.#")))
                .when().post("/api/v1/clients")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.field", hasItem("name"));
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", "bad-" + System.nanoTime(), "subscriptions", List.of("a..b", "ok.#"),
                        "publish", List.of("a b"), "webhook", Map.of("url", "ftp://example")))
                .when().post("/api/v1/clients")
                .then().statusCode(400)
                .body("errors.field", containsInAnyOrder("subscriptions[0]", "publish[0]", "webhook.url"));
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/api/v1/clients")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
    }

    @Test
    void aDuplicateNameIsAConflict() {
        String name = "dup-" + System.nanoTime();
        Map<String, Object> body = Map.of("name", name, "subscriptions", List.of("d.#"));
        String clientId = given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/clients").then().statusCode(201).extract().path("clientId");
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/clients").then().statusCode(409);
        given().auth().oauth2(adminToken()).when().delete("/api/v1/clients/" + clientId).then().statusCode(200);
    }

    @Test
    void changingSubscriptionsRebindsWithoutLosingQueuedMessages() {
        String root = TestClients.uniqueRoot();
        TestClients.Registered receiver = TestClients.register(List.of(root + ".old.#"), List.of(), false);
        TestClients.Registered sender = TestClients.register(List.of(), List.of(root + ".#"), false);
        String queued = TestClients.send(sender, root + ".old.one", Map.of("n", 1));

        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("subscriptions", List.of(root + ".new.*")))
                .when().patch("/api/v1/clients/" + receiver.clientId())
                .then().statusCode(200).body("subscriptions", contains(root + ".new.*"));
        TestClients.send(sender, root + ".old.two", Map.of("n", 2));
        String fresh = TestClients.send(sender, root + ".new.three", Map.of("n", 3));

        assertEquals(List.of(queued, fresh), TestClients.ids(TestClients.drain(receiver)));
    }

    @Test
    void deletionRemovesQueuesRecordAndAccount() {
        TestClients.Registered client = TestClients.register(List.of("del.#"), List.of(), false);
        given().auth().oauth2(adminToken()).when().delete("/api/v1/clients/" + client.clientId())
                .then().statusCode(200).body("undelivered", equalTo(0));
        given().auth().oauth2(adminToken()).when().get("/api/v1/clients/" + client.clientId())
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
        assertEquals(-1, topology.depth(Names.inbox(client.clientId())));
        // 403 (no longer registered), or 401 once the revocation of its account reached this service first.
        given().auth().oauth2(client.token()).when().get("/api/v1/receive")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(401),
                        org.hamcrest.Matchers.is(403)));
        given().contentType(ContentType.JSON).body(Map.of("client_id", client.clientId(), "secret", client.secret()))
                .when().post("/token").then().statusCode(401);
    }

    @Test
    void anAdminSeesOnlyTheClientsOfItsOrganisation() {
        TestClients.Registered client = TestClients.register(List.of("org.#"), List.of(), false);
        given().auth().oauth2(dev.bulwark.common.testing.TestTokens.withRoles(Roles.ADMIN))
                .when().get("/api/v1/clients/" + client.clientId()).then().statusCode(404);
        given().auth().oauth2(adminToken()).when().get("/api/v1/clients")
                .then().body("clientId", hasItems(client.clientId()));
    }

    @Test
    void webhookSecretsAreReturnedOnceAndStoredEncrypted() {
        TestClients.Registered client = TestClients.register(List.of("wh.#"), List.of(), false,
                "http://127.0.0.1:9/hook");
        byte[] stored = storedWebhookSecret(client.clientId());
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(client.webhookSecret()));
        assertEquals(client.webhookSecret(), secretBox.decrypt(stored));

        String rotated = given().auth().oauth2(adminToken())
                .when().post("/api/v1/clients/" + client.clientId() + "/webhook/rotate-secret")
                .then().statusCode(200).body("webhook.url", equalTo("http://127.0.0.1:9/hook"))
                .extract().path("webhook.secret");
        assertNotEquals(client.webhookSecret(), rotated);
        assertEquals(rotated, secretBox.decrypt(storedWebhookSecret(client.clientId())));

        // PUT replaces everything: without a webhook in the body, the webhook is gone and the inbox readable.
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("subscriptions", List.of("wh.other.#"), "broadcast", true))
                .when().put("/api/v1/clients/" + client.clientId())
                .then().statusCode(200).body("webhook", nullValue()).body("publish", hasSize(0))
                .body("broadcast", equalTo(true));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().auth().oauth2(client.token())
                .when().get("/api/v1/receive").then().statusCode(200));
    }

    @Test
    void deletionAfterADrainReportsWhatWasLeft() {
        String root = TestClients.uniqueRoot();
        TestClients.Registered receiver = TestClients.register(List.of(root + ".#"), List.of(), false);
        TestClients.Registered sender = TestClients.register(List.of(), List.of(root + ".#"), false);
        TestClients.send(sender, root + ".a", 1);
        TestClients.send(sender, root + ".b", 2);
        long started = System.nanoTime();
        given().auth().oauth2(adminToken()).queryParam("drainSeconds", 1)
                .when().delete("/api/v1/clients/" + receiver.clientId())
                .then().statusCode(200).body("undelivered", equalTo(2));
        assertTrue(System.nanoTime() - started >= Duration.ofSeconds(1).toNanos(), "waited for the drain");
        given().auth().oauth2(adminToken()).queryParam("drainSeconds", 301)
                .when().delete("/api/v1/clients/" + sender.clientId())
                .then().statusCode(400);
    }

    private static byte[] storedWebhookSecret(String clientId) {
        return QuarkusTransaction.requiringNew().call(() -> Client.<Client>findById(clientId).webhookSecret);
    }
}
