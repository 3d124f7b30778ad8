package dev.bulwark.dispatcher.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the dispatcher can be told. Keys whose defaults live in {@code application.properties} (topics, group,
 * CISO Assistant, S3, Kafka auth) are there because the Kafka channels and the upstream dispatcher's environment
 * names ({@code API_URL}, {@code USER_TOKEN}, …) refer to them as property expressions.
 */
@ConfigMapping(prefix = "bulwark.dispatcher")
public interface DispatcherConfig {

    /** Kafka topics consumed, comma separated. */
    List<String> topics();

    /** Kafka consumer group id. */
    String groupId();

    /**
     * Whether the consumer is a static member of its group ({@code group.instance.id}): a restarted instance takes
     * its partitions back at once. Read by {@link StaticMembershipConfigSourceFactory}.
     */
    @WithDefault("true")
    boolean staticMembership();

    /**
     * This instance's {@code group.instance.id}: unique among the running instances of the group, the same across
     * restarts of one instance. Default: the host name (the pod name in Kubernetes).
     */
    Optional<String> groupInstanceId();

    /** Topic that receives the messages that could not be handled, with the reason. */
    String errorsTopic();

    /** Number of ordered lanes: messages with different keys are handled concurrently up to this many at once. */
    @WithDefault("8")
    int concurrency();

    /** Messages taken from Kafka but not yet finished; consumption pauses while this many are in flight. */
    @WithDefault("256")
    int maxInFlight();

    Retry retry();

    Idempotency idempotency();

    Grc grc();

    S3 s3();

    Suite suite();

    CircuitBreaker circuitBreaker();

    Kafka kafka();

    /** How transient failures are retried. */
    interface Retry {
        /**
         * Attempts in total, the first included, before a message is dead-lettered. With the default backoff, 15
         * attempts wait at least about 2 minutes 15 seconds: a restart of PostgreSQL or RabbitMQ behind a target (a
         * minute and a half under load, measured by the fault suite) no longer dead-letters accepted messages, as 5
         * attempts (under 8 seconds) did.
         */
        @WithDefault("15")
        int maxAttempts();

        /** Backoff before the second attempt; it doubles for each further attempt. */
        @WithDefault("PT0.5S")
        Duration initialBackoff();

        /** Upper bound of the exponential backoff. */
        @WithDefault("PT30S")
        Duration maxBackoff();

        /** Upper bound of a target's {@code Retry-After}; longer waits are cut to this. */
        @WithDefault("PT2M")
        Duration maxRetryAfter();
    }

    /** The store of completed message ids (Redis). */
    interface Idempotency {
        /** How long a completed message id is remembered. */
        @WithDefault("P7D")
        Duration ttl();

        /** Prefix of the Redis keys of completed message ids. */
        @WithDefault("bulwark:dispatcher:done:")
        String keyPrefix();
    }

    /** The CISO Assistant REST API (GRC handlers). */
    interface Grc {
        /** Base URL of the API, e.g. {@code https://ciso.example.org/api} (alias {@code API_URL}). */
        URI apiUrl();

        /** Personal access token sent as {@code Authorization: Token <PAT>} (alias {@code USER_TOKEN}). */
        Optional<String> token();

        /** Whether the API's TLS certificate is verified (alias {@code VERIFY_CERTIFICATE}). */
        boolean verifyCertificate();

        /** Connect timeout of calls to the API. */
        @WithDefault("PT5S")
        Duration connectTimeout();

        /** Read timeout of calls to the API. */
        @WithDefault("PT30S")
        Duration readTimeout();
    }

    /** S3-compatible storage holding attachments referenced by {@code file_s3_bucket}/{@code file_s3_key}. */
    interface S3 {
        /** Endpoint URL of the S3-compatible server (alias {@code S3_URL}); without it S3 attachments are refused. */
        Optional<URI> endpoint();

        /** Access key (alias {@code S3_ACCESS_KEY}). */
        Optional<String> accessKey();

        /** Secret key (alias {@code S3_SECRET_KEY}). */
        Optional<String> secretKey();

        /** Signing region; S3-compatible servers mostly ignore it. */
        @WithDefault("us-east-1")
        String region();

        /** The buckets a message may name; unset, any bucket the credentials can read. */
        Optional<List<String>> buckets();

        /** Largest object read; a larger one is refused without being read. */
        @WithDefault("32M")
        MemorySize maxObjectSize();
    }

    /** Suite targets (workflow-service, backbone, relay) and the service account used to call them. */
    interface Suite {
        /** Base URL of the issuer that grants the dispatcher's token (workflow-service). */
        URI issuerUrl();

        /** Client id of the {@code dispatcher} service account. */
        Optional<String> clientId();

        /** Client secret of the {@code dispatcher} service account. */
        Optional<String> clientSecret();

        /** A token is renewed when less than this remains of its lifetime. */
        @WithDefault("PT60S")
        Duration tokenRenewBefore();

        /** Base URL of workflow-service. */
        URI workflowUrl();

        /** Base URL of backbone-service. */
        URI backboneUrl();

        /** Base URL of relay-service. */
        URI relayUrl();

        /** Connect timeout of calls to suite services. */
        @WithDefault("PT5S")
        Duration connectTimeout();

        /** Read timeout of calls to suite services. */
        @WithDefault("PT30S")
        Duration readTimeout();
    }

    /** One circuit breaker per target: it opens when too many recent calls failed transiently. */
    interface CircuitBreaker {
        /** Calls in the rolling window the failure ratio is computed over. */
        @WithDefault("20")
        int requestVolumeThreshold();

        /** Ratio of transient failures in the window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker refuses calls before letting trial calls through. */
        @WithDefault("PT10S")
        Duration delay();
    }

    /** Broker authentication; read by {@link KafkaSaslConfigSourceFactory}, which turns it into {@code kafka.*}. */
    interface Kafka {
        /** Whether to authenticate with SASL (alias {@code KAFKA_USE_AUTH}). */
        boolean useAuth();

        /** {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL} (alias {@code KAFKA_SECURITY_PROTOCOL}). */
        String securityProtocol();

        /** {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} (alias {@code KAFKA_SASL_MECHANISM}). */
        String saslMechanism();

        /** SASL user name (alias {@code KAFKA_USERNAME}). */
        Optional<String> username();

        /** SASL password (alias {@code KAFKA_PASSWORD}). */
        Optional<String> password();
    }
}
