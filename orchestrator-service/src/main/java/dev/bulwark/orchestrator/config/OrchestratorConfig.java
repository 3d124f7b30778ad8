package dev.bulwark.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of test runs, their feedback and their outcomes. */
@ConfigMapping(prefix = "bulwark.orchestrator")
public interface OrchestratorConfig {

    /** Feedback medium announced for a run when the request names none: {@code sse} or {@code lp}. */
    @WithDefault("sse")
    String defaultMedium();

    /** How many runs one organisation may have running at the same time. */
    @WithDefault("3")
    int maxActiveRunsPerOrg();

    /** Threads shared by the testers of all runs; each tester session occupies one while it runs. */
    @WithDefault("8")
    int testerThreads();

    /** Longest time one tester session may run before it is stopped and reported as failed. */
    @WithDefault("PT10M")
    Duration testerTimeout();

    /** Connect and response timeout of each request a tester sends to the system under test. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /**
     * How often a running (or queued) session publishes a heartbeat {@code progress} event; keep it well under
     * {@code max-poll-wait} so a long poll never comes back empty while a session is alive.
     */
    @WithDefault("PT10S")
    Duration heartbeatInterval();

    /** Hosts a job may name as {@code sutIp}; when unset any host is accepted. */
    Optional<List<String>> allowedTargets();

    /** How long the feedback streams of a run stay readable after the run ended. */
    @WithDefault("PT1H")
    Duration feedbackRetention();

    /** SSE feedback streams one principal (token subject, or the purpleteam CLI) may hold open on one instance. */
    @WithDefault("16")
    int maxSseStreamsPerPrincipal();

    /** Long polls one principal may have waiting at once on one instance. */
    @WithDefault("16")
    int maxLongPollsPerPrincipal();

    /** Longest wait a long-poll request may ask for (and the wait of the purpleteam long poll). */
    @WithDefault("PT20S")
    Duration maxPollWait();

    /**
     * How long the instance running a run holds it without renewing; when it stops (crash, kill, lost network),
     * another instance claims the run after this and restarts its unended sessions.
     */
    @WithDefault("PT30S")
    Duration lease();

    /** How often each instance renews its leases and claims runs whose lease expired; well under {@code lease}. */
    @WithDefault("PT5S")
    Duration leaseCheckInterval();

    /**
     * AES-256 key (32 bytes, base64) sealing the job of a running run in the database, so that another instance can
     * restart the run. Unset: no job is kept, and a run whose instance stops fails when its lease expires.
     */
    Optional<String> jobKey();

    /** How long finished runs and their outcomes are kept before they are deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** The purpleteam CLI compatibility endpoints. */
    Compat compat();

    interface Compat {

        /** Serve the purpleteam endpoints ({@code /testplan}, {@code /test}, …), which take no token. */
        @WithDefault("false")
        boolean enabled();

        /** Organisation that runs started through the purpleteam endpoints belong to. */
        @WithDefault("purpleteam")
        String org();
    }
}
