package dev.bulwark.workflow.identity.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.workflow.identity.domain.IdentityFixture;
import dev.bulwark.workflow.identity.domain.IdentityFixture.TestUser;
import dev.bulwark.workflow.identity.domain.OrgRole;
import dev.bulwark.workflow.identity.revocation.Revocations;
import dev.bulwark.workflow.identity.revocation.TokenRevocation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 12 item 5, the issuer's side: what is recorded in {@code /.well-known/revocations.json}, and when. */
@QuarkusTest
class RevocationListTest {

    @Test
    void removingAMemberOrChangingTheirRoleRevokesTheTokensIssuedSoFar() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        TestUser removed = IdentityFixture.newMember(admin.orgId(), OrgRole.USER);
        TestUser demoted = IdentityFixture.newMember(admin.orgId(), OrgRole.USER);
        String adminToken = Login.password(admin);
        long removedIat = claims(Login.password(removed)).getLong("iat");
        long demotedIat = claims(Login.password(demoted)).getLong("iat");
        assertThat(notBefore(removed.id().toString())).isNull();

        given().auth().oauth2(adminToken).when()
                .delete("/api/v1/orgs/{org}/members/{user}", admin.orgId(), removed.id()).then().statusCode(204);
        given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(Map.of("role", "reader")).when()
                .put("/api/v1/orgs/{org}/members/{user}", admin.orgId(), demoted.id()).then().statusCode(200);

        assertThat(notBefore(removed.id().toString())).isGreaterThan(removedIat);
        long demotedNotBefore = notBefore(demoted.id().toString());
        assertThat(demotedNotBefore).isGreaterThan(demotedIat);
        // Signing in again yields a token the entry does not cover.
        assertThat(claims(Login.password(demoted)).getLong("iat")).isGreaterThanOrEqualTo(demotedNotBefore);
    }

    @Test
    void aRemovedMembersTokenIsRefusedWithinSeconds() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        TestUser removed = IdentityFixture.newMember(admin.orgId(), OrgRole.USER);
        String adminToken = Login.password(admin);
        String removedToken = Login.password(removed);
        given().auth().oauth2(removedToken).when().get("/api/v1/me").then().statusCode(200);

        given().auth().oauth2(adminToken).when()
                .delete("/api/v1/orgs/{org}/members/{user}", admin.orgId(), removed.id()).then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(removedToken).contentType(ContentType.JSON)
                        .body(Map.of("name", "after-removal", "start", "a",
                                "actions", List.of(Map.of("id", "a", "app", "tools", "action", "echo",
                                        "parameters", Map.of("value", 1)))))
                        .when().post("/api/v1/workflows").then().statusCode(401)
                        .contentType("application/problem+json"));
        given().auth().oauth2(removedToken).when().get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(adminToken).when().get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void revokingAnApiKeyRevokesOnlyTheTokensMintedFromIt() {
        TestUser user = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        String session = Login.password(user);
        JsonPath created = given().auth().oauth2(session).contentType(ContentType.JSON).body(Map.of("name", "ci"))
                .when().post("/api/v1/api-keys").then().statusCode(201).extract().jsonPath();
        String keyId = created.getString("id");
        String keyTokenText = Login.token(Map.of("grant_type", "api_key", "api_key", created.getString("apiKey")));
        JsonPath keyToken = claims(keyTokenText);
        assertThat(keyToken.getString("sid")).isEqualTo(keyId);
        assertThat(claims(session).getString("sid")).isNull();

        given().auth().oauth2(session).when().delete("/api/v1/api-keys/{id}", keyId).then().statusCode(204);
        assertThat(notBefore(keyId)).isGreaterThan(keyToken.getLong("iat"));
        assertThat(notBefore(user.id().toString())).isNull();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(keyTokenText).when().get("/api/v1/me").then().statusCode(401));
        given().auth().oauth2(session).when().get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void revokingOrRotatingAServiceAccountRevokesItsTokens() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        String adminToken = Login.password(admin);
        for (String change : List.of("rotate", "revoke")) {
            JsonPath account = given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                    .body(Map.of("name", "worker-" + change, "roles", List.of("worker")))
                    .when().post("/api/v1/service-accounts").then().statusCode(201).extract().jsonPath();
            String id = account.getString("id");
            JsonPath token = claims(Login.token(Map.of("grant_type", "client_credentials",
                    "client_id", account.getString("clientId"), "client_secret", account.getString("clientSecret"))));
            assertThat(token.getString("sid")).isEqualTo(id);
            if (change.equals("rotate")) {
                given().auth().oauth2(adminToken).when().post("/api/v1/service-accounts/{id}/rotate-secret", id)
                        .then().statusCode(200);
            } else {
                given().auth().oauth2(adminToken).when().delete("/api/v1/service-accounts/{id}", id)
                        .then().statusCode(204);
            }
            assertThat(notBefore(id)).as(change).isGreaterThan(token.getLong("iat"));
        }
    }

    @Test
    void entriesOlderThanTheLongestTokenLifetimeAreDropped() {
        String old = "old-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            TokenRevocation entry = new TokenRevocation();
            entry.id = Revocations.hash(old);
            entry.notBefore = Instant.now().minus(Duration.ofMinutes(16));
            entry.persist();
        });
        assertThat(notBefore(old)).isNull();
    }

    /** The entry for that subject or sid in the published list (read without a token), or null. */
    private static Long notBefore(String subjectOrSid) {
        JsonPath list = given().when().get("/.well-known/revocations.json").then().statusCode(200)
                .contentType(ContentType.JSON).extract().jsonPath();
        List<Map<String, Object>> entries = list.getList("revocations");
        return entries.stream().filter(e -> e.get("id").equals(Revocations.hash(subjectOrSid)))
                .map(e -> ((Number) e.get("notBefore")).longValue()).findFirst().orElse(null);
    }

    private static JsonPath claims(String token) {
        return new JsonPath(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
