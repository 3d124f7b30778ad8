package dev.bulwark.relay.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the relay API, its token modes and its feeds. */
@ConfigMapping(prefix = "bulwark.relay")
public interface RelayConfig {

    /** The relay's public base URL: the audience of configuration tokens and the base of refer links. */
    @WithDefault("http://localhost:8084")
    String publicUrl();

    /** Most observables accepted in one request; more is an {@code invalid argument} error. */
    @WithDefault("1000")
    int observablesLimit();

    /** Entities per observable and kind when the token carries no valid {@code CTR_ENTITIES_LIMIT}. */
    @WithDefault("100")
    int entitiesLimit();

    /** Priority (0–100) of the judgements the relay answers. */
    @WithDefault("90")
    int judgementPriority();

    /**
     * The organisation that owns the feeds and indicators stored before the relay kept organisations apart; read
     * once, by the migration that added organisations (it stops when such rows exist and this is not set).
     */
    Optional<String> legacyOrganisation();

    Auth auth();

    Respond respond();

    Feeds feeds();

    LookupFilter lookupFilter();

    /** How each token mode of the relay API is verified; every mode can be switched off. */
    interface Auth {

        SuiteTokens suiteTokens();

        ConfigurationTokens configurationTokens();

        SecretKey secretKey();

        /**
         * The one organisation XDR configuration tokens and HS256 tokens act for (they carry none of their own);
         * required when either mode is on, the relay refuses to start without it.
         */
        Optional<String> moduleOrganisation();
    }

    /** Tokens of the suite issuer, verified like on every suite endpoint ({@code mp.jwt.verify.*}). */
    interface SuiteTokens {

        /** Accept suite tokens with role {@code relay-client} or {@code admin}. */
        @WithDefault("true")
        boolean enabled();
    }

    /** RS256 configuration tokens of the XDR platform, keyed by {@code kid} in the JWKS of an allow-listed host. */
    interface ConfigurationTokens {

        /** Accept configuration tokens. */
        @WithDefault("false")
        boolean enabled();

        /** Hosts (host or host:port) whose JWKS may verify a token; a token naming any other host is refused. */
        Optional<List<String>> allowedJwksHosts();

        /** Scheme of the JWKS URL {@code <scheme>://<jwks_host>/.well-known/jwks}. */
        @WithDefault("https")
        String jwksScheme();

        /** How long a fetched JWKS is trusted before it is fetched again. */
        @WithDefault("PT10M")
        Duration jwksTtl();

        /** Least time between two fetches of one host's JWKS forced by an unknown {@code kid}. */
        @WithDefault("PT30S")
        Duration jwksRefreshBackoff();

        /** Connect and read timeout of a JWKS fetch. */
        @WithDefault("PT5S")
        Duration fetchTimeout();

        /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}. */
        @WithDefault("PT30S")
        Duration clockSkew();
    }

    /** The relay template's HS256 tokens signed with a shared secret, for simple setups. */
    interface SecretKey {

        /** Accept HS256 tokens signed with {@link #value()}. */
        @WithDefault("false")
        boolean enabled();

        /** The shared secret ({@code SECRET_KEY} of the template); use at least 32 random bytes. */
        Optional<String> value();
    }

    /** The respond actions, which write indicators. */
    interface Respond {

        /** Source name of the indicators written by respond actions. */
        @WithDefault("bulwark-relay-response")
        String source();

        /** Let configuration and HS256 tokens trigger actions; suite tokens need role {@code admin} either way. */
        @WithDefault("false")
        boolean moduleTokensMayWrite();
    }

    /** Scheduled feeds and indicator expiry. */
    interface Feeds {

        /** How often due feeds are looked for (each feed has its own interval). */
        @WithDefault("60s")
        String checkEvery();

        /** How often indicators past their {@code valid_until} are deleted. */
        @WithDefault("10m")
        String expireEvery();

        /**
         * Directory whose {@code <org-id>/} subdirectory an organisation's {@code file:} feed URLs must lie in;
         * without it {@code file:} feeds are refused.
         */
        Optional<Path> fileRoot();

        /** Allow plain {@code http:} feed URLs (for tests and closed networks; {@code https:} otherwise). */
        @WithDefault("false")
        boolean allowHttp();

        /** Connect and read timeout of a feed download. */
        @WithDefault("PT30S")
        Duration fetchTimeout();

        /** Largest feed accepted, in bytes, from a download or a file. */
        @WithDefault("33554432")
        long maxBytes();
    }

    /**
     * The in-memory filter of each organisation's indicators that lets lookups skip values certainly not stored
     * (see the README's Benchmark section); it is rebuilt from PostgreSQL when another writer added indicators.
     */
    interface LookupFilter {

        /** Most indicators held in filters, over all organisations (about 16 bytes each); an organisation that does
         * not fit is looked up without a filter. 0 switches filters off. */
        @WithDefault("2000000")
        long maxIndicators();

        /** Least time between two rebuilds of one organisation's filter; in between, lookups go without it. */
        @WithDefault("PT10S")
        Duration rebuildAfter();

        /** How often the change rows the filters are checked against are folded into one per organisation. */
        @WithDefault("30s")
        String compactEvery();
    }
}
