package dev.bulwark.backbone.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The backbone's own settings (env {@code BULWARK_BACKBONE_*}). */
@ConfigMapping(prefix = "bulwark.backbone")
public interface BackboneConfig {

    Inbox inbox();

    Receive receive();

    Stream stream();

    Publish publish();

    Webhook webhook();

    /**
     * The suite's own service accounts that are clients by configuration, by a name of their own (see
     * {@code DeclaredClients}); env {@code BULWARK_BACKBONE_DECLARED_CLIENTS__<NAME>__SUBJECT} and so on.
     */
    @WithName("declared-clients")
    Map<String, DeclaredClient> declaredClients();

    interface DeclaredClient {
        /** The service account's client id at the issuer: the {@code sub} of its tokens. */
        String subject();

        /** Its organisation id; unset: the organisation its tokens carry at its first call. */
        Optional<String> organisation();

        /** Topic patterns its inbox is bound to; unset: none. */
        Optional<List<String>> subscriptions();

        /** Topic patterns it may publish on; unset: none. */
        Optional<List<String>> publish();

        /** Whether it may send to every inbox of its organisation. */
        @WithDefault("false")
        boolean broadcast();
    }

    interface Inbox {
        /** Messages an inbox holds; beyond it the oldest are dead-lettered (env BULWARK_BACKBONE_INBOX_MAX_LENGTH). */
        @WithDefault("10000")
        int maxLength();

        /** How long a message waits in an inbox before it is dead-lettered as expired. */
        @WithDefault("P7D")
        Duration messageTtl();

        /** Messages a client's dead-letter queue keeps; beyond it the oldest dead letters are dropped. */
        @WithDefault("10000")
        int deadLetterMaxLength();
    }

    interface Receive {
        /** Upper bound of {@code max} in one receive. */
        @WithDefault("100")
        int maxMessages();

        /** Upper bound of {@code wait} (long-poll seconds) in one receive. */
        @WithDefault("30")
        int maxWaitSeconds();

        /** After the first message of a long poll arrived, how long to wait for more to fill the batch. */
        @WithDefault("PT0S")
        Duration linger();

        /**
         * How long a client's inbox consumer stays attached on this replica after its last receive; meanwhile it
         * holds up to {@code max-messages} of the inbox's messages (unacknowledged) for the client's next receive.
         */
        @WithDefault("PT10S")
        Duration sessionIdle();

        /** Receives one client may hold open at once on one replica; more answer 429 with Retry-After. */
        @WithDefault("4")
        int maxConcurrent();
    }

    interface Stream {
        /** Messages the broker hands one SSE stream ahead of the event being written (AMQP prefetch). */
        @WithDefault("20")
        int prefetch();

        /** SSE streams one client may hold open at once on one replica; more answer 429 with Retry-After. */
        @WithDefault("2")
        int maxConcurrent();
    }

    interface Publish {
        /** How long a send waits for the broker's publisher confirm before answering 503. */
        @WithDefault("PT5S")
        Duration confirmTimeout();

        /** Confirm-mode channels that concurrent sends share (each send waits for its own confirms only). */
        @WithDefault("4")
        int channels();

        /** Messages one batch send may carry. */
        @WithDefault("500")
        int maxBatch();
    }

    interface Webhook {
        /**
         * Base64 of the 256-bit AES key that encrypts webhook signing secrets at rest. Without it, clients cannot
         * register webhooks (env BULWARK_BACKBONE_WEBHOOK_KEY).
         */
        Optional<String> key();

        /** Delivery attempts of one message before it is dead-lettered. */
        @WithDefault("8")
        int maxAttempts();

        /** Delay before the first retry; each further retry doubles it, with jitter. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        /** Longest delay between two attempts. */
        @WithDefault("PT5M")
        Duration maxBackoff();

        /** How long one webhook POST may take. */
        @WithDefault("PT10S")
        Duration timeout();

        /** How often the pusher checks that every webhook client has a running delivery loop. */
        @WithDefault("PT30S")
        Duration reconcileInterval();
    }
}
