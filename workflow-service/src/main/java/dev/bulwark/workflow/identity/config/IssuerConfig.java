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

    /** PEM (PKCS#8) private key that signs new tokens: a file path, or a classpath resource. */
    String privateKey();

    /** PEM public key of {@link #privateKey()}: a file path, or a classpath resource. */
    String publicKey();

    /** PEM public keys of earlier signing keys, still listed in the JWKS until their tokens have expired. */
    Optional<List<String>> previousPublicKeys();

    /** Generate a fresh RSA key pair at the two paths when neither exists (local runs; off in production). */
    @WithDefault("false")
    boolean generateIfMissing();

    /** How long an access token is valid. */
    @WithDefault("PT15M")
    Duration tokenLifetime();
}
