package dev.bulwark.common.security.revocation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code bulwark.revocation.*}: where and how often the issuer's revocation list is read. */
@ConfigMapping(prefix = "bulwark.revocation")
public interface RevocationConfig {

    /** Whether tokens are checked against the list at all. */
    @WithDefault("true")
    boolean enabled();

    /** The list's address; default {@code ${mp.jwt.verify.issuer}/.well-known/revocations.json}. */
    Optional<String> url();

    /** How often the list is read: the longest a revoked token keeps working, plus one read. */
    @WithDefault("2s")
    Duration refresh();
}
