package dev.bulwark.workflow.identity.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Rotation as documented in the README: the new key signs, the previous public key stays in the JWKS, so tokens
 * signed before the rotation keep working until they expire. Here the active pair is the suite test pair and
 * {@code rotation-test-keys/previous-*.pem} plays the key that was rotated out.
 */
@QuarkusTest
class KeyRotationTest {

    @Test
    void jwksListsTheActiveKeyFirstThenThePreviousOne() {
        given().when().get("/.well-known/jwks.json")
                .then().statusCode(200)
                .body("keys", hasSize(2))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].use", equalTo("sig"))
                .body("keys[1].alg", equalTo("RS256"));
    }

    @Test
    void tokensSignedWithThePreviousKeyStayValidUntilTheyExpire() {
        String org = UUID.randomUUID().toString();
        String oldToken = TestTokens.builder().roles(Roles.READER).org(org)
                .signingKey("rotation-test-keys/previous-private.pem").build();
        given().auth().oauth2(oldToken).when().get("/api/v1/me")
                .then().statusCode(200).body("org", equalTo(org));

        String oldExpired = TestTokens.builder().roles(Roles.READER).org(org)
                .signingKey("rotation-test-keys/previous-private.pem")
                .issuedAt(java.time.Instant.now().minusSeconds(3600)).build();
        given().auth().oauth2(oldExpired).when().get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void aKeyNeverListedIsRefused() {
        given().auth().oauth2(TestTokens.signedByUntrustedKey(Roles.ADMIN)).when().get("/api/v1/me")
                .then().statusCode(401);
    }
}
