package dev.bulwark.common.testing;

import dev.bulwark.common.security.Claims;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * Mints tokens shaped like the suite issuer's, signed with the test key pair under {@code bulwark-test-keys/}.
 * Services verify them in their {@code %test} profile with {@code bulwark-test-keys/public.pem}.
 */
public final class TestTokens {

    /** The issuer every service expects unless configured otherwise. */
    public static final String ISSUER = "http://localhost:8081";
    public static final String ORG = "test-org";

    private static final String TRUSTED_KEY = "bulwark-test-keys/private.pem";
    private static final String UNTRUSTED_KEY = "bulwark-test-keys/untrusted-private.pem";

    private TestTokens() {
    }

    /** A valid token for subject {@code test-user} in organisation {@link #ORG} with the given roles. */
    public static String withRoles(String... roles) {
        return builder().roles(roles).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A token that expired ten minutes ago. */
    public static String expired(String... roles) {
        return builder().roles(roles).issuedAt(Instant.now().minus(Duration.ofMinutes(30)))
                .lifetime(Duration.ofMinutes(20)).build();
    }

    public static String wrongIssuer(String... roles) {
        return builder().roles(roles).issuer("https://attacker.example/issuer").build();
    }

    public static String signedByUntrustedKey(String... roles) {
        return builder().roles(roles).signingKey(UNTRUSTED_KEY).build();
    }

    /** A token signed for the given roles whose payload was then rewritten to claim {@code admin}. */
    public static String tampered(String... roles) {
        String[] parts = withRoles(roles).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = payload.replaceFirst("\"groups\":\\[[^]]*]", "\"groups\":[\"admin\"]");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    public static final class Builder {
        private String subject = "test-user";
        private String org = ORG;
        private String issuer = ISSUER;
        private String audience = Claims.AUDIENCE;
        private Set<String> roles = Set.of();
        private Instant issuedAt = Instant.now();
        private Duration lifetime = Duration.ofMinutes(15);
        private String signingKey = TRUSTED_KEY;

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder org(String org) {
            this.org = org;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder roles(String... roles) {
            this.roles = Set.of(roles);
            return this;
        }

        public Builder issuedAt(Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** Signs with another private key (a classpath PEM resource), e.g. a rotated-out issuer key. */
        public Builder signingKey(String resource) {
            this.signingKey = resource;
            return this;
        }

        public String build() {
            PrivateKey key = key();
            return Jwt.issuer(issuer)
                    .subject(subject)
                    .audience(audience)
                    .groups(roles)
                    .claim(Claims.ORG, org)
                    .claim("jti", UUID.randomUUID().toString())
                    .issuedAt(issuedAt)
                    .expiresAt(issuedAt.plus(lifetime))
                    .jws().keyId(keyId(key))
                    .sign(key);
        }

        private PrivateKey key() {
            try {
                return KeyUtils.readPrivateKey(signingKey);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot read test key " + signingKey, e);
            }
        }

        /** The RFC 7638 thumbprint, the key id the suite issuer uses, so JWKS verifiers find the key. */
        private static String keyId(PrivateKey key) {
            try {
                RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key;
                PublicKey publicKey = KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
                return new RsaJsonWebKey((RSAPublicKey) publicKey).calculateBase64urlEncodedThumbprint("SHA-256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot derive the key id", e);
            }
        }
    }
}
