package dev.bulwark.relay.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.WorkflowServiceProcess;
import dev.bulwark.relay.support.Relay;
import dev.bulwark.relay.support.RealIssuer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens of the real issuer (workflow-service) on the relay: revocations of a subject (a removed member, a deleted
 * service account) or of a credential (a revoked API key) reach the relay within seconds, refused both by its own
 * authenticator on the relay routes and with 401 on {@code /api/v1/*}, while unrevoked tokens keep working (issue 12);
 * and the dispatcher's service account, declared with the roles it needs, looks up its
 * organisation's indicators with no hand work (issue 16).
 */
@QuarkusTest
@WithTestResource(value = RealIssuer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class IssuedTokensTest {

    /** The revocation list is read every 2 s; the machine is shared, so the bound is generous. */
    private static final Duration REVOCATION_BOUND = Duration.ofSeconds(60);
    private static final String PASSWORD = "Relay-Member-Password-2026!";

    private String adminToken;
    private String org;
    private String ip;

    @BeforeEach
    void signIn() {
        adminToken = issuer().adminToken();
        org = given().baseUri(issuer().url()).auth().oauth2(adminToken).when().get("/api/v1/me")
                .then().statusCode(200).extract().path("org");
        ip = Relay.uniqueNet() + ".7";
        given().auth().oauth2(adminToken).contentType(ContentType.TEXT).body("value,type\n" + ip + ",ip\n")
                .queryParam("format", "csv").queryParam("source", Relay.unique("issued")).queryParam("disposition", 2)
                .when().post("/api/v1/feeds/import").then().statusCode(200);
    }

    @Test
    void theTokenOfAMemberRemovedFromTheOrganisationIsRefusedWithinSeconds() {
        String email = Relay.unique("analyst") + "@relay.test";
        given().baseUri(issuer().url()).auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "role", Roles.ADMIN))
                .when().post("/api/v1/orgs/" + org + "/members").then().statusCode(202);
        String token = given().baseUri(issuer().url()).contentType(ContentType.JSON)
                .body(Map.of("grant_type", "password", "username", email, "password", PASSWORD))
                .when().post("/api/v1/auth/token").then().statusCode(200).extract().path("access_token");
        String userId = given().baseUri(issuer().url()).auth().oauth2(adminToken)
                .when().get("/api/v1/orgs/" + org + "/members").then().statusCode(200)
                .extract().jsonPath().getString("find { it.email == '" + email + "' }.userId");
        assertFinds(token);

        given().baseUri(issuer().url()).auth().oauth2(adminToken)
                .when().delete("/api/v1/orgs/" + org + "/members/" + userId).then().statusCode(204);

        awaitRevoked(token);
        assertFinds(adminToken);
    }

    @Test
    void theTokenOfARevokedApiKeyIsRefusedWithinSeconds() {
        JsonPath key = given().baseUri(issuer().url()).auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", Relay.unique("soar"))).when().post("/api/v1/api-keys")
                .then().statusCode(201).extract().jsonPath();
        String token = given().baseUri(issuer().url()).contentType(ContentType.URLENC)
                .formParam("grant_type", "api_key").formParam("api_key", key.getString("apiKey"))
                .when().post("/api/v1/auth/token").then().statusCode(200).extract().path("access_token");
        assertFinds(token);

        given().baseUri(issuer().url()).auth().oauth2(adminToken)
                .when().delete("/api/v1/api-keys/" + key.getString("id")).then().statusCode(204);

        awaitRevoked(token);
        assertFinds(adminToken);
    }

    @Test
    void theTokenOfARevokedServiceAccountIsRefusedWithinSeconds() {
        JsonPath account = issuer().createServiceAccount(Relay.unique("xdr"), Roles.RELAY_CLIENT);
        String token = issuer().clientCredentialsToken(account.getString("clientId"),
                account.getString("clientSecret"));
        assertFinds(token);

        given().baseUri(issuer().url()).auth().oauth2(adminToken)
                .when().delete("/api/v1/service-accounts/" + account.getString("id")).then().statusCode(204);

        awaitRevoked(token);
        assertFinds(adminToken);
    }

    @Test
    void theDispatchersAccountDeclaredWithRelayClientLooksUpItsOrganisationsIndicators() {
        JsonPath account = issuer().createServiceAccount("dispatcher-" + UUID.randomUUID(), Roles.DISPATCHER,
                Roles.BACKBONE_CLIENT, Roles.RELAY_CLIENT);
        String token = issuer().clientCredentialsToken(account.getString("clientId"),
                account.getString("clientSecret"));

        assertFinds(token);
    }

    @Test
    void aServiceAccountWithoutRelayClientIsDeniedWithTheRelayFamilysError() {
        JsonPath account = issuer().createServiceAccount("dispatcher-" + UUID.randomUUID(), Roles.DISPATCHER);
        String token = issuer().clientCredentialsToken(account.getString("clientId"),
                account.getString("clientSecret"));

        observe(token).statusCode(200)
                .body("errors.code", contains("permission denied"))
                .body("errors.message", contains("Authorization failed: the token's roles do not allow using the relay"));
    }

    /** The token works on a relay route and on the suite API. */
    private void assertFinds(String token) {
        observe(token).statusCode(200)
                .body("$", not(hasKey("errors")))
                .body("data.verdicts.docs[0].observable.value", equalTo(ip))
                .body("data.verdicts.docs[0].disposition", equalTo(2));
        indicators(token).statusCode(200).body("value", contains(ip));
    }

    /** The relay routes refuse the token with the relay family's error, the suite API with a 401 problem. */
    private void awaitRevoked(String token) {
        await().atMost(REVOCATION_BOUND).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            observe(token).statusCode(200)
                    .body("errors.code", contains("authorization error"))
                    .body("errors.message", contains("Authorization failed: Token has been revoked"));
            indicators(token).statusCode(401)
                    .header("WWW-Authenticate", "Bearer")
                    .body("status", equalTo(401))
                    .body("detail", equalTo("A valid bearer token from the Bulwark issuer is required"));
        });
    }

    private ValidatableResponse observe(String token) {
        return Relay.post("/observe/observables", token, Relay.observables("ip", ip));
    }

    private ValidatableResponse indicators(String token) {
        return given().auth().oauth2(token).queryParam("value", ip).when().get("/api/v1/indicators").then();
    }

    private static WorkflowServiceProcess issuer() {
        return RealIssuer.workflow();
    }
}
