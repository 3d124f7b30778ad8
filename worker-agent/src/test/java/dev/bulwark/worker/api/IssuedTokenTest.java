package dev.bulwark.worker.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.worker.support.RealIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** Tokens issued by the real workflow-service, verified here through its JWKS fetched over HTTP. */
@QuarkusTest
class IssuedTokenTest {

    @Test
    void aWorkerServiceAccountTokenIsAccepted() {
        JsonPath account = RealIssuer.workflow().createServiceAccount("agent-" + System.nanoTime(), "worker");
        String token = RealIssuer.workflow().clientCredentialsToken(account.getString("clientId"),
                account.getString("clientSecret"));
        given().auth().oauth2(token).when().get("/api/v1/info")
                .then().statusCode(200)
                .body("subject", equalTo(account.getString("clientId")))
                .body("roles", contains("worker"));
    }

    @Test
    void anIssuedTokenStillNeedsAnAllowedRole() {
        JsonPath account = RealIssuer.workflow().createServiceAccount("dispatcher-" + System.nanoTime(), "dispatcher");
        String token = RealIssuer.workflow().clientCredentialsToken(account.getString("clientId"),
                account.getString("clientSecret"));
        given().auth().oauth2(token).when().get("/api/v1/info").then().statusCode(403);
        given().auth().oauth2(RealIssuer.workflow().adminToken()).when().get("/api/v1/info").then().statusCode(200);
    }
}
