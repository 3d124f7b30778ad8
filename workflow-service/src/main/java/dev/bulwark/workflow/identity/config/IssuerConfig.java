package dev.bulwark.workflow.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The suite's token issuer (env {@code BULWARK_ISSUER_*}). */
@ConfigMapping(prefix = "bulwark.issuer")
public interface IssuerConfig {

    /** The {@code iss} of every token; verifiers expect exactly this value. */
    @WithDefault("http://localhost:8081")
    String url();

    /**
     * PEM RSA private key that signs new tokens, PKCS#8 ({@code PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}):
     * a file path, or a classpath resource. The public key is derived from it.
     */
    String privateKey();

    /** Optional PEM public key; when set it must be the public half of {@link #privateKey()}, else start fails. */
    Optional<String> publicKey();

    /** PEM public keys of earlier signing keys, still listed in the JWKS until their tokens have expired. */
    Optional<List<String>> previousPublicKeys();

    /**
     * Generate a fresh RSA private key (and the public key file, if one is configured) when the private key does not
     * exist (local runs; off in production).
     */
    @WithDefault("false")
    boolean generateIfMissing();

    /** How long an access token is valid. */
    @WithDefault("PT15M")
    Duration tokenLifetime();
}
