package dev.bulwark.workflow.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Password hashing and the brute-force defence (env {@code BULWARK_IDENTITY_*}). */
@ConfigMapping(prefix = "bulwark.identity")
public interface IdentityConfig {

    /** bcrypt cost (log2 rounds) for passwords, API keys and client secrets; 11 costs ~150 ms here. */
    @WithDefault("11")
    int bcryptCost();

    Lockout lockout();

    /** How long an invitation to an organisation can be accepted. */
    @WithDefault("P14D")
    Duration invitationLifetime();

    interface Lockout {

        /** Failed attempts for one account, client or key within {@link #window()} that lock it. */
        @WithDefault("5")
        int maxFailures();

        /** The window failures are counted in. */
        @WithDefault("PT15M")
        Duration window();

        /** How long a locked account, client or key refuses every attempt, right or wrong. */
        @WithDefault("PT15M")
        Duration cooldown();
    }
}
