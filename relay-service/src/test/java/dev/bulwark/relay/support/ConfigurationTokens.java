package dev.bulwark.relay.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Mints XDR-style configuration tokens (RS256, {@code kid}, {@code jwks_host}, {@code aud}) with a key pair made for
 * the test run, published as the JWKS of the fake platform host; and the relay template's HS256 tokens.
 */
public final class ConfigurationTokens {

    public static final String AUDIENCE = "http://relay.test";
    public static final String SECRET = "relay-test-secret-that-is-32-bytes-long";

    private static final RsaJsonWebKey PLATFORM_KEY = generate("platform-key-1");
    private static final RsaJsonWebKey ROGUE_KEY = generate("platform-key-1");

    private ConfigurationTokens() {
    }

    /** Makes the fake platform host serve the JWKS with the platform key. */
    public static void publishJwks() {
        String jwks = new JsonWebKeySet(PLATFORM_KEY).toJson();
        Relay.thirdParty().register(get(urlEqualTo("/.well-known/jwks"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(jwks)));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static String valid() {
        return builder().build();
    }

    public static final class Builder {
        private String kid = PLATFORM_KEY.getKeyId();
        private String jwksHost = Relay.jwksHost();
        private String audience = AUDIENCE;
        private Instant expiresAt = Instant.now().plusSeconds(600);
        private boolean withExpiry = true;
        private RsaJsonWebKey key = PLATFORM_KEY;
        private Map<String, Object> extra = Map.of();

        public Builder kid(String kid) {
            this.kid = kid;
            return this;
        }

        public Builder jwksHost(String host) {
            this.jwksHost = host;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder expiresAt(Instant at) {
            this.expiresAt = at;
            return this;
        }

        public Builder withoutExpiry() {
            this.withExpiry = false;
            return this;
        }

        /** Signs with a key of the same kid that the platform never published. */
        public Builder rogueKey() {
            this.key = ROGUE_KEY;
            return this;
        }

        public Builder claims(Map<String, Object> claims) {
            this.extra = claims;
            return this;
        }

        public String build() {
            JwsToken jws = new JwsToken(claims());
            jws.sign(key, kid);
            return jws.compact;
        }

        /** The same claims signed with HS256 and the given secret, as the template relay expects. */
        public String buildHs256(String secret) {
            JwsToken jws = new JwsToken(claims());
            jws.signHs256(secret);
            return jws.compact;
        }

        private JwtClaims claims() {
            JwtClaims claims = new JwtClaims();
            claims.setSubject("xdr-module");
            claims.setAudience(audience);
            if (jwksHost != null) {
                claims.setClaim("jwks_host", jwksHost);
            }
            if (withExpiry) {
                claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
            }
            claims.setIssuedAtToNow();
            claims.setClaim("key", "third-party-credentials");
            extra.forEach(claims::setClaim);
            return claims;
        }
    }

    private static final class JwsToken {
        private final JsonWebSignature jws = new JsonWebSignature();
        private String compact;

        JwsToken(JwtClaims claims) {
            jws.setPayload(claims.toJson());
        }

        void sign(RsaJsonWebKey key, String kid) {
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
            jws.setKey(key.getPrivateKey());
            serialize();
        }

        void signHs256(String secret) {
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
            jws.setDoKeyValidation(false);
            serialize();
        }

        private void serialize() {
            try {
                compact = jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static RsaJsonWebKey generate(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
