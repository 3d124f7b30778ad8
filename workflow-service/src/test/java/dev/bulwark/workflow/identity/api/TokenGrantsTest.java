package dev.bulwark.workflow.identity.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.workflow.identity.domain.IdentityFixture;
import dev.bulwark.workflow.identity.domain.IdentityFixture.TestUser;
import dev.bulwark.workflow.identity.domain.OrgRole;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokenGrantsTest {

    private final List<String> logLines = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logLines) {
                logLines.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void passwordGrantIssuesASuiteTokenForTheMembersOrganisation() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        JsonPath response = given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "password", "username", admin.email(), "password", IdentityFixture.PASSWORD))
                .when().post("/api/v1/auth/token")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .extract().jsonPath();
        String token = response.getString("access_token");

        Map<String, Object> header = decode(token, 0);
        Map<String, Object> claims = decode(token, 1);
        assertEquals("RS256", header.get("alg"));
        String activeKid = given().get("/.well-known/jwks.json").then().extract().path("keys[0].kid");
        assertEquals(activeKid, header.get("kid"));
        assertEquals("http://localhost:8081", claims.get("iss"));
        assertEquals("bulwark", claims.get("aud"));
        assertEquals(admin.id().toString(), claims.get("sub"));
        assertEquals(admin.orgId().toString(), claims.get("org"));
        assertEquals(List.of("admin"), claims.get("groups"));
        assertNotNull(claims.get("jti"));
        assertEquals(900, ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue());

        given().auth().oauth2(token).when().get("/api/v1/me")
                .then().statusCode(200)
                .body("subject", equalTo(admin.id().toString()))
                .body("email", equalTo(admin.email()))
                .body("org", equalTo(admin.orgId().toString()))
                .body("roles", contains("admin"));
    }

    @Test
    void passwordGrantAcceptsAFormAndPicksTheNamedOrganisation() {
        TestUser first = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        TestUser second = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        String adminOfSecond = Login.password(second);
        given().auth().oauth2(adminOfSecond).contentType(ContentType.JSON)
                .body(Map.of("email", first.email(), "role", "reader"))
                .when().post("/api/v1/orgs/{org}/members", second.orgId())
                .then().statusCode(202);
        String invitation = given().auth().oauth2(Login.password(first)).when().get("/api/v1/invitations")
                .then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(Login.password(first)).when().post("/api/v1/invitations/{id}/accept", invitation)
                .then().statusCode(200);

        String token = given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("username", first.email())
                .formParam("password", IdentityFixture.PASSWORD).formParam("org", second.orgName())
                .when().post("/api/v1/auth/token")
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(token).when().get("/api/v1/me")
                .then().statusCode(200)
                .body("org", equalTo(second.orgId().toString()))
                .body("roles", contains("reader"));
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlikeWithoutSayingWhy() {
        TestUser user = IdentityFixture.newOrgWith(OrgRole.USER);
        String wrongPassword = given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "password", "username", user.email(), "password", "Wrong-Password-123"))
                .when().post("/api/v1/auth/token")
                .then().statusCode(401).contentType(startsWith("application/problem+json"))
                .extract().path("detail");
        String unknownUser = given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "password", "username", "nobody-" + user.id() + "@example.org",
                        "password", IdentityFixture.PASSWORD))
                .when().post("/api/v1/auth/token")
                .then().statusCode(401).extract().path("detail");
        assertEquals(wrongPassword, unknownUser);
        assertFalse(wrongPassword.toLowerCase().contains("password"));
    }

    @Test
    void unknownGrantTypeIsABadRequest() {
        given().contentType(ContentType.JSON).body(Map.of("grant_type", "implicit"))
                .when().post("/api/v1/auth/token")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("grant_type must be one of password, client_credentials, api_key"));
    }

    @Test
    void clientCredentialsWorkInTheBodyAndWithBasicAuthUntilRotatedOrRevoked() {
        String admin = Login.password(IdentityFixture.newOrgWith(OrgRole.ADMIN));
        JsonPath created = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "worker-a", "roles", List.of("worker")))
                .when().post("/api/v1/service-accounts")
                .then().statusCode(201).body("clientSecret", notNullValue()).extract().jsonPath();
        String id = created.getString("id");
        String clientId = created.getString("clientId");
        String secret = created.getString("clientSecret");

        String token = Login.token(Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret));
        given().auth().oauth2(token).when().get("/api/v1/me")
                .then().statusCode(200).body("subject", equalTo(clientId)).body("roles", contains("worker"))
                .body("email", nullValue());
        given().auth().preemptive().basic(clientId, secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .when().post("/api/v1/auth/token").then().statusCode(200);

        given().auth().oauth2(admin).when().get("/api/v1/service-accounts/{id}", id)
                .then().statusCode(200).body("$", not(hasKey("clientSecret"))).body("$", not(hasKey("secretHash")));

        String rotated = given().auth().oauth2(admin).when().post("/api/v1/service-accounts/{id}/rotate-secret", id)
                .then().statusCode(200).extract().path("clientSecret");
        clientCredentials(clientId, secret).then().statusCode(401);
        clientCredentials(clientId, rotated).then().statusCode(200);

        given().auth().oauth2(admin).when().delete("/api/v1/service-accounts/{id}", id).then().statusCode(204);
        clientCredentials(clientId, rotated).then().statusCode(401);
        assertSecretsNeverLogged(secret, rotated, token);
    }

    @Test
    void apiKeysAreShownOnceExchangedForTokensAndRevocable() {
        TestUser user = IdentityFixture.newOrgWith(OrgRole.USER);
        String session = Login.password(user);
        JsonPath created = given().auth().oauth2(session).contentType(ContentType.JSON)
                .body(Map.of("name", "ci"))
                .when().post("/api/v1/api-keys")
                .then().statusCode(201).extract().jsonPath();
        String apiKey = created.getString("apiKey");
        assertTrue(apiKey.matches("bwk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}"), apiKey + " is not a 32-byte key");

        String token = Login.token(Map.of("grant_type", "api_key", "api_key", apiKey));
        given().auth().oauth2(token).when().get("/api/v1/me")
                .then().statusCode(200).body("subject", equalTo(user.id().toString())).body("roles", contains("user"));
        String basicToken = given().auth().preemptive().basic("api_key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("grant_type", "api_key"))
                .when().post("/api/v1/auth/token").then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(basicToken).when().get("/api/v1/me")
                .then().statusCode(200).body("subject", equalTo(user.id().toString())).body("roles", contains("user"));
        given().auth().oauth2(session).when().get("/api/v1/api-keys")
                .then().statusCode(200)
                .body("[0].name", equalTo("ci"))
                .body("[0].lastUsedAt", notNullValue())
                .body("[0]", not(hasKey("apiKey")));

        given().auth().oauth2(session).when().delete("/api/v1/api-keys/{id}", created.getString("id"))
                .then().statusCode(204);
        given().contentType(ContentType.JSON).body(Map.of("grant_type", "api_key", "api_key", apiKey))
                .when().post("/api/v1/auth/token").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("grant_type", "api_key", "api_key", "bwk_garbage"))
                .when().post("/api/v1/auth/token").then().statusCode(401);
        given().auth().preemptive().basic("api_key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("grant_type", "api_key"))
                .when().post("/api/v1/auth/token").then().statusCode(401);
        assertSecretsNeverLogged(apiKey, token, IdentityFixture.PASSWORD);
    }

    private static io.restassured.response.Response clientCredentials(String clientId, String secret) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret))
                .when().post("/api/v1/auth/token");
    }

    private void assertSecretsNeverLogged(String... secrets) {
        synchronized (logLines) {
            for (String line : logLines) {
                for (String secret : secrets) {
                    assertFalse(line.contains(secret), "a secret appeared in the log: " + line);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decode(String jwt, int part) {
        String json = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[part]), StandardCharsets.UTF_8);
        return new JsonPath(json).getMap("$");
    }
}
