package dev.bulwark.common.security.keys;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code bulwark.issuer-keys.*}: how the issuer's key set is read when {@code mp.jwt.verify.publickey.location} is a URL. */
@ConfigMapping(prefix = "bulwark.issuer-keys")
public interface IssuerKeysConfig {

    /** How often the key set is read again while it can be read. */
    @WithDefault("5m")
    Duration refresh();

    /**
     * How soon a read is tried again after one failed, and the least time between two reads that tokens with an
     * unknown key id ask for (so forged key ids cannot turn the service into a request amplifier).
     */
    @WithDefault("2s")
    Duration retry();

    /** Connect and read timeout of one read. */
    @WithDefault("5s")
    Duration timeout();
}
