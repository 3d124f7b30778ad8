package dev.bulwark.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.jwt.util.KeyUtils;
import java.security.PublicKey;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

class TestTokensTest {

    private final JwtConsumer consumer = new JwtConsumerBuilder()
            .setVerificationKey(publicKey())
            .setExpectedIssuer(TestTokens.ISSUER)
            .setExpectedAudience("bulwark")
            .setRequireExpirationTime()
            .build();

    @Test
    void validTokenCarriesTheSuiteClaims() throws Exception {
        JwtClaims claims = consumer.processToClaims(TestTokens.withRoles("admin", "user"));
        assertEquals("test-user", claims.getSubject());
        assertEquals(TestTokens.ORG, claims.getStringClaimValue("org"));
        assertEquals(List.of("admin", "user"), claims.getStringListClaimValue("groups").stream().sorted().toList());
    }

    @Test
    void badTokensFailVerification() {
        assertThrows(InvalidJwtException.class, () -> consumer.processToClaims(TestTokens.expired("admin")));
        assertThrows(InvalidJwtException.class, () -> consumer.processToClaims(TestTokens.tampered("reader")));
        assertThrows(InvalidJwtException.class, () -> consumer.processToClaims(TestTokens.wrongIssuer("admin")));
        assertThrows(InvalidJwtException.class,
                () -> consumer.processToClaims(TestTokens.signedByUntrustedKey("admin")));
    }

    private static PublicKey publicKey() {
        try {
            return KeyUtils.readPublicKey("bulwark-test-keys/public.pem");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
