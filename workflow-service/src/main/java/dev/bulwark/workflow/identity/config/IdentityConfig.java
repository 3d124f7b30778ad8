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

    Throttle throttle();

    /** How long an invitation to an organisation can be accepted. */
    @WithDefault("P14D")
    Duration invitationLifetime();

    /**
     * Progressive delays after failed sign-ins, never a lockout: a stranger's failures slow down only the pair
     * (account, source address) and the source address they come from, so the owner still signs in from elsewhere.
     */
    interface Throttle {

        /** Failures of one account from one source address before delays start. */
        @WithDefault("3")
        int freeFailures();

        /** Failures from one source address (any accounts) before delays start. */
        @WithDefault("30")
        int sourceFreeFailures();

        /** The first delay; each further failure doubles it. */
        @WithDefault("PT1S")
        Duration initialDelay();

        /** The longest delay for one account from one source address. */
        @WithDefault("PT15M")
        Duration maxDelay();

        /** The longest delay for a source address. */
        @WithDefault("PT1M")
        Duration sourceMaxDelay();

        /** Counts start again after this long without a failure. */
        @WithDefault("PT1H")
        Duration forgetAfter();
    }
}
