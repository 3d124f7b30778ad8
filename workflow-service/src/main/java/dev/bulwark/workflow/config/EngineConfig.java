package dev.bulwark.workflow.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The workflow engine: task queue, executions, watchdog, templates, triggers and credential keys (env {@code BULWARK_WORKFLOW_*}). */
@ConfigMapping(prefix = "bulwark.workflow")
public interface EngineConfig {

    Queue queue();

    Execution execution();

    Templates templates();

    Triggers triggers();

    Credentials credentials();

    Limits limits();

    Engine engine();

    interface Engine {

        /**
         * Whether the engine runs the built-in {@code tools} actions itself when an action does not say where
         * ({@code runOn}): those without an environment or a credential, all but {@code delay}.
         */
        @WithDefault("true")
        boolean toolsInEngine();
    }

    interface Queue {

        /** How long a claimed task stays leased to its agent without a heartbeat. */
        @WithDefault("PT60S")
        Duration lease();

        /** Claims of one task (the first included) before an expired lease fails its action. */
        @WithDefault("3")
        int maxAttempts();

        /** The longest long-poll a claim may ask for. */
        @WithDefault("PT30S")
        Duration maxWait();

        /** How often a waiting claim looks again for tasks enqueued by other replicas. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** The most tasks one claim may take. */
        @WithDefault("50")
        int maxTasksPerClaim();

        /** Time an action may run when the workflow does not say (the worker enforces it). */
        @WithDefault("300")
        int defaultTimeoutSeconds();
    }

    interface Execution {

        /**
         * Largest stored output of one action (and execution argument), in bytes of JSON; a larger output fails its
         * action, a larger argument is refused.
         */
        @WithDefault("1048576")
        int maxOutputBytes();

        /** Finished executions older than this are deleted by the watchdog. */
        @WithDefault("P30D")
        Duration retention();

        /** An active execution unchanged for this long with no queued or running task is settled by the watchdog. */
        @WithDefault("PT2M")
        Duration stuckAfter();

        /** How often the watchdog looks for expired leases, stuck executions and expired executions. */
        @WithDefault("5s")
        String watchdogInterval();
    }

    interface Templates {

        /** Longest time one Liquid template may render. */
        @WithDefault("500")
        long maxRenderMillis();

        /** Largest rendered Liquid output, in characters. */
        @WithDefault("100000")
        int maxOutputChars();

        /** Largest string (or list) any Liquid filter may produce while rendering, in characters (items). */
        @WithDefault("100000")
        int maxStringChars();
    }

    interface Triggers {

        /** How often due cron triggers are looked for. */
        @WithDefault("1s")
        String cronTick();

        /** Base URL webhook addresses are built on (what callers reach this service at). */
        @WithDefault("http://localhost:8081")
        String publicUrl();
    }

    interface Credentials {

        /** Master keys by key id, each 32 bytes in Base64; they wrap the per-organisation data keys. */
        Map<String, String> masterKeys();

        /** Id of the master key that wraps new data keys; older ones are rewrapped with it at start. */
        Optional<String> activeKeyId();
    }

    /** Bounds on what one organisation or caller may make the service do (docs/security.md, "Limits"). */
    interface Limits {

        /** Most items one loop ({@code $x.#}) may fan out to; more is a 400 at start, later a FAILURE of the action. */
        @WithDefault("1000")
        int maxLoopItems();

        /** Most tasks one execution may create over its whole run (each loop item is one task). */
        @WithDefault("10000")
        int maxTasksPerExecution();

        /** Executions an organisation may start per minute (all triggers and subflows); more answers 429. */
        @WithDefault("12000")
        int executionsPerMinute();

        /** Schedule triggers an organisation may have over all its workflows. */
        @WithDefault("100")
        int maxSchedulesPerOrg();

        /** Shortest time between two ticks of a schedule. */
        @WithDefault("PT60S")
        Duration minScheduleInterval();

        /** Claims one caller may hold open (long polls) at once on one replica; more answers 429. */
        @WithDefault("8")
        int maxWaitsPerCaller();

        Body body();
    }

    /**
     * Largest request bodies by endpoint, tighter than {@code quarkus.http.limits.max-body-size} (which bounds every
     * request, and OpenAPI imports alone).
     */
    interface Body {

        /** Workflow documents (create, import, new version) and app definitions. */
        @WithDefault("1M")
        MemorySize document();

        /** Execute requests and webhook calls (the execution argument). */
        @WithDefault("1M")
        MemorySize execute();

        /** Task results of worker agents (output, error, log). */
        @WithDefault("2M")
        MemorySize taskResult();

        /** Every other request (sign-in, claims, heartbeats, members, keys, credentials, …). */
        @WithDefault("64K")
        MemorySize other();
    }
}
