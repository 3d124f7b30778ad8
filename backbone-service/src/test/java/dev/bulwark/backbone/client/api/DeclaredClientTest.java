package dev.bulwark.backbone.client.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.backbone.RealIssuer;
import dev.bulwark.backbone.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The suite's own service accounts as clients by configuration ({@code bulwark.backbone.declared-clients}, set by
 * {@link RealIssuer}): real accounts of the real issuer, with tokens from {@code client_credentials} as the
 * dispatcher gets them, and no admin registering anything.
 */
@QuarkusTest
class DeclaredClientTest {

    private static final String ROOT = RealIssuer.DECLARED_ROOT;

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    @Test
    void aDeclaredAccountSendsAndADeclaredSubscriberReceives() {
        String listener = RealIssuer.declaredListener().token();
        awaitRecorded(listener);
        String sender = RealIssuer.declaredSender().token();
        String id = send(sender, ROOT + ".alerts.high", 202).path("id");

        List<Map<String, Object>> received = receive(listener, 10);
        assertEquals(1, received.size());
        assertEquals(id, received.get(0).get("id"));
        assertEquals(RealIssuer.declaredSender().clientId(), received.get(0).get("sender"));
        assertEquals(Map.of("n", 1), received.get(0).get("payload"));
    }

    @Test
    void anUndeclaredAccountIsRefusedWhateverItsRoles() {
        String token = RealIssuer.undeclared().token();
        send(token, ROOT + ".alerts.high", 403);
        given().auth().oauth2(token).when().get("/api/v1/receive").then().statusCode(403);
    }

    @Test
    void aDeclaredClientHasExactlyItsDeclaredRights() {
        String sender = RealIssuer.declaredSender().token();
        send(sender, "elsewhere.alerts", 403);
        given().auth().oauth2(sender).contentType(ContentType.JSON).body(Map.of("payload", Map.of()))
                .when().post("/api/v1/notify").then().statusCode(403);
    }

    @Test
    void aDeclaredClientOfOneOrganisationCannotReachAnother() {
        TestClients.Registered otherOrg = TestClients.registerInOtherOrg(List.of("#"), List.of(), false);
        String listener = RealIssuer.declaredListener().token();
        awaitRecorded(listener);

        send(RealIssuer.declaredSender().token(), ROOT + ".alerts.high", 202);
        // Declared into B while its account belongs to A: every token it gets acts for A, and is refused.
        send(RealIssuer.misplacedDeclared().token(), ROOT + ".alerts.high", 403);

        assertEquals(1, receive(listener, 10).size(), "A's subscriber gets A's message");
        assertEquals(List.of(), receive(otherOrg.token(), 2), "B's '#' subscriber hears nothing of A");
    }

    @Test
    void adminsSeeButCannotChangeADeclaredClient() {
        String listener = RealIssuer.declaredListener().clientId();
        awaitRecorded(RealIssuer.declaredListener().token());
        String admin = TestClients.adminToken();
        given().auth().oauth2(admin).when().get("/api/v1/clients/" + listener)
                .then().statusCode(200).body("subscriptions", org.hamcrest.Matchers.equalTo(List.of(ROOT + ".#")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("publish", List.of("#")))
                .when().patch("/api/v1/clients/" + listener).then().statusCode(409);
        given().auth().oauth2(admin).when().delete("/api/v1/clients/" + listener).then().statusCode(409);
        given().auth().oauth2(admin).when().post("/api/v1/clients/" + listener + "/rotate-secret")
                .then().statusCode(409);
        given().auth().oauth2(TestClients.otherAdminToken()).when().get("/api/v1/clients/" + listener)
                .then().statusCode(404);
    }

    /** Declarations with an organisation are applied once the broker is reachable after start. */
    private static void awaitRecorded(String token) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                given().auth().oauth2(token).when().get("/api/v1/receive").statusCode() == 200);
        receive(token, 0);
    }

    private static io.restassured.response.ExtractableResponse<?> send(String token, String topic, int status) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("topic", topic, "payload", Map.of("n", 1)))
                .when().post("/api/v1/send")
                .then().statusCode(status).extract();
    }

    /** Everything waiting, long-polling up to {@code waitSeconds} for the first message. */
    private static List<Map<String, Object>> receive(String token, int waitSeconds) {
        return given().auth().oauth2(token)
                .queryParam("max", 100).queryParam("wait", waitSeconds)
                .when().get("/api/v1/receive")
                .then().statusCode(200).extract().jsonPath().getList("messages");
    }
}
