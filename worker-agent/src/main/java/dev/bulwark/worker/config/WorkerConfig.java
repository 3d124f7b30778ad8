package dev.bulwark.worker.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** The agent's settings; every key can be set by its environment variable (shown in each line). */
@ConfigMapping(prefix = "bulwark.worker")
public interface WorkerConfig {

    /** Environment whose queue this agent serves ({@code BULWARK_WORKER_ENVIRONMENT}). */
    @WithDefault("default")
    String environment();

    /** Tasks run at once ({@code BULWARK_WORKER_CONCURRENCY}); when unset, 2 × available processors. */
    OptionalInt concurrency();

    /** Client id of the agent's service account with role worker ({@code BULWARK_WORKER_CLIENT_ID}). */
    Optional<String> clientId();

    /** Client secret of that service account ({@code BULWARK_WORKER_CLIENT_SECRET}). */
    Optional<String> clientSecret();

    /** Name of this agent, on the containers it starts ({@code BULWARK_WORKER_NAME}); default the host name. */
    Optional<String> name();

    /** How long workflow-service may hold a claim open when it has no task ({@code BULWARK_WORKER_CLAIM_WAIT}). */
    @WithDefault("20s")
    Duration claimWait();

    /** First pause after a failed or prematurely empty claim ({@code BULWARK_WORKER_BACKOFF_MIN}). */
    @WithDefault("500ms")
    Duration backoffMin();

    /** Longest pause between claims while workflow-service is unreachable ({@code BULWARK_WORKER_BACKOFF_MAX}). */
    @WithDefault("30s")
    Duration backoffMax();

    /** How long running tasks may finish after a stop is requested ({@code BULWARK_WORKER_SHUTDOWN_GRACE}). */
    @WithDefault("30s")
    Duration shutdownGrace();

    /** How long posting a result is retried while workflow-service is unreachable ({@code BULWARK_WORKER_RESULT_RETRY}). */
    @WithDefault("5m")
    Duration resultRetry();

    /** The in-process {@code http} app. */
    Http http();

    /** Container apps. */
    Container container();

    /** Settings of the in-process {@code http} app. */
    interface Http {

        /** Largest response body read; a larger one fails the action ({@code BULWARK_WORKER_HTTP_MAX_RESPONSE_SIZE}). */
        @WithDefault("10M")
        MemorySize maxResponseSize();

        /** Connect timeout ({@code BULWARK_WORKER_HTTP_CONNECT_TIMEOUT}). */
        @WithDefault("10s")
        Duration connectTimeout();
    }

    /** Settings of container apps. */
    interface Container {

        /** Docker Engine API address ({@code BULWARK_WORKER_CONTAINER_DOCKER_HOST}); default {@code DOCKER_HOST} or the local socket. */
        Optional<String> dockerHost();

        /** Memory limit of an app container, swap included ({@code BULWARK_WORKER_CONTAINER_MEMORY}). */
        @WithDefault("256M")
        MemorySize memory();

        /** CPUs an app container may use ({@code BULWARK_WORKER_CONTAINER_CPUS}). */
        @WithDefault("1.0")
        double cpus();

        /** Most processes in an app container ({@code BULWARK_WORKER_CONTAINER_PIDS}). */
        @WithDefault("128")
        long pids();

        /** User the app runs as ({@code BULWARK_WORKER_CONTAINER_USER}). */
        @WithDefault("65534:65534")
        String user();

        /** Network for apps whose task asks for one; the others get none ({@code BULWARK_WORKER_CONTAINER_NETWORK}). */
        @WithDefault("bridge")
        String network();

        /**
         * Where the secret files of container apps are written, one directory per agent name and task
         * ({@code BULWARK_WORKER_CONTAINER_SECRETS_DIR}); the Docker engine bind-mounts them, so it must see this path
         * at the same place (a local engine). Best on a tmpfs.
         */
        @WithDefault("${java.io.tmpdir}/bulwark-worker-secrets")
        String secretsDir();

        /** Largest stdout (the result) and stderr (the log) kept ({@code BULWARK_WORKER_CONTAINER_MAX_OUTPUT_SIZE}). */
        @WithDefault("1M")
        MemorySize maxOutputSize();
    }
}
