package dev.bulwark.backbone.webhook.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.BrokerConnection;
import dev.bulwark.backbone.broker.messaging.Channels;
import dev.bulwark.backbone.broker.messaging.MessageTracing;
import dev.bulwark.backbone.broker.messaging.Metrics;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.client.domain.Clients;
import dev.bulwark.backbone.client.domain.SecretBox;
import dev.bulwark.backbone.client.domain.TopologyRepair;
import dev.bulwark.backbone.client.domain.WebhookChanged;
import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.egress.EgressHttp;
import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.common.egress.EgressRefused;
import dev.bulwark.common.retry.ExponentialBackoff;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pushes the inboxes of clients with a webhook to their URL. Each client has its own channel with prefetch 1 and
 * an exclusive consumer: the next message is handed over only once the previous one was delivered (2xx) or
 * dead-lettered, which keeps each client's order, and one backbone replica pushes a client at a time. Each attempt
 * runs on a worker thread and retries wait on timers, so a slow or dead receiver delays only its own client. Every
 * attempt passes the egress policy of the client's organisation.
 */
@ApplicationScoped
public class WebhookPusher {

    public static final String TIMESTAMP_HEADER = "X-Bulwark-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Bulwark-Signature";
    public static final String MESSAGE_ID_HEADER = "X-Bulwark-Message-Id";
    public static final String ATTEMPT_HEADER = "X-Bulwark-Attempt";
    /** First delay before a lost push loop is started again; it doubles up to the reconcile interval. */
    private static final Duration RESUME_BACKOFF = Duration.ofMillis(500);

    private final BrokerConnection broker;
    private final Clients clients;
    private final TopologyRepair repair;
    private final BackboneConfig config;
    private final SecretBox secrets;
    private final Metrics metrics;
    private final Vertx vertx;
    private final HttpClient http;
    private final EgressPolicy egress;
    private final MessageTracing tracing;
    private final Map<String, Push> pushes = new ConcurrentHashMap<>();
    private long reconcileTimer = -1;
    private volatile boolean topologyDeclared;
    /** A slow pass (broker or database down) must not pile up behind the timer. */
    private final AtomicBoolean reconciling = new AtomicBoolean();

    WebhookPusher(BrokerConnection broker, Clients clients, TopologyRepair repair, BackboneConfig config,
                  SecretBox secrets, Metrics metrics, Vertx vertx, EgressPolicy egress, MessageTracing tracing) {
        this.broker = broker;
        this.clients = clients;
        this.repair = repair;
        this.config = config;
        this.secrets = secrets;
        this.metrics = metrics;
        this.vertx = vertx;
        this.egress = egress;
        this.tracing = tracing;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhook().timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void onStart(@Observes StartupEvent event) {
        reconcileTimer = vertx.setPeriodic(1, config.webhook().reconcileInterval().toMillis(),
                id -> Infrastructure.getDefaultWorkerPool().execute(this::reconcile));
    }

    void onStop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(reconcileTimer);
        pushes.keySet().forEach(this::stop);
    }

    void onWebhookChanged(@Observes WebhookChanged changed) {
        switch (changed.change()) {
            case REGISTERED -> start(changed.clientId());
            case CHANGED -> restart(changed.clientId());
            case REMOVED -> stop(changed.clientId());
        }
    }

    /**
     * Gauges every client and starts a push loop for each webhook client without one (e.g. after a broker outage).
     * The first time the broker is reachable, it also repairs the topology (see {@link TopologyRepair}).
     */
    void reconcile() {
        if (!reconciling.compareAndSet(false, true)) {
            return;
        }
        try {
            reconcileOnce();
        } finally {
            reconciling.set(false);
        }
    }

    private void reconcileOnce() {
        List<Clients.Entry> registered;
        try {
            registered = clients.all();
        } catch (RuntimeException e) {
            Log.warnf("Cannot list the clients: %s", e.getMessage());
            return;
        }
        if (!topologyDeclared) {
            try {
                registered = repair.repair();
                topologyDeclared = true;
            } catch (RuntimeException e) {
                Log.warnf("Cannot declare the clients' queues yet: %s", e.getMessage());
                return;
            }
        }
        for (Clients.Entry client : registered) {
            metrics.watch(client.clientId());
            Push running = pushes.get(client.clientId());
            if (client.webhook() && (running == null || running.stopped || !running.channel.isOpen())) {
                start(client.clientId());
            }
        }
    }

    /**
     * Starts pushing the client's inbox if it has a webhook; a no-op otherwise.
     *
     * @return false when the broker refused (it is down, or another consumer holds the inbox): try again later
     */
    public synchronized boolean start(String clientId) {
        stop(clientId);
        Optional<Clients.Webhook> client = clients.webhook(clientId);
        if (client.isEmpty()) {
            return true;
        }
        Channel channel = null;
        try {
            channel = broker.get().createChannel();
            EgressPolicy policy = egress.forOrganisation(client.get().orgId());
            Push push = new Push(clientId, URI.create(client.get().url()),
                    secrets.decrypt(client.get().sealedSecret()), channel,
                    new EgressHttp(policy, http, 0, policy.maxBody()));
            channel.basicQos(1);
            channel.basicConsume(Names.inbox(clientId), false, "webhook-" + clientId, false, true, Map.of(),
                    new DefaultConsumer(channel) {
                        @Override
                        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                                   byte[] body) {
                            deliver(push, envelope.getDeliveryTag(), properties.getMessageId(), body, 1,
                                    MessageTracing.context(properties));
                        }

                        @Override
                        public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
                            if (!signal.isInitiatedByApplication()) {
                                lost(push, signal.getMessage());
                            }
                        }

                        @Override
                        public void handleCancel(String tag) {
                            lost(push, "the broker cancelled the consumer");
                        }
                    });
            pushes.put(clientId, push);
            Log.infof("Pushing the inbox of client %s to its webhook", clientId);
            return true;
        } catch (IOException | RuntimeException e) {
            Channels.closeQuietly(channel);
            Log.warnf("Cannot push the inbox of client %s yet (%s); retrying later", clientId, reason(e));
            return false;
        }
    }

    /**
     * The push loop lost its channel or consumer (connection lost, broker restarted, queue deleted): it stops —
     * its message in flight goes back to the inbox with the channel — and a new one is started as soon as the
     * broker lets it, retried with a backoff up to the reconcile interval.
     */
    private void lost(Push push, String why) {
        push.stopped = true;
        Log.warnf("Lost the push loop of client %s (%s); resuming", push.clientId, why);
        resumeLater(push.clientId, 1);
    }

    private void resumeLater(String clientId, int attempt) {
        long delay = Math.min(config.webhook().reconcileInterval().toMillis(),
                RESUME_BACKOFF.toMillis() * (1L << Math.min(attempt - 1, 16)));
        vertx.setTimer(delay, id -> Infrastructure.getDefaultWorkerPool().execute(() -> resume(clientId, attempt)));
    }

    private synchronized void resume(String clientId, int attempt) {
        Push running = pushes.get(clientId);
        if (running != null && !running.stopped && running.channel.isOpen()) {
            return;
        }
        if (!start(clientId)) {
            resumeLater(clientId, attempt + 1);
        }
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    public synchronized void restart(String clientId) {
        if (!start(clientId)) {
            resumeLater(clientId, 1);
        }
    }

    /** Stops pushing; the message in flight, if any, returns to the inbox. */
    public synchronized void stop(String clientId) {
        Push push = pushes.remove(clientId);
        if (push != null) {
            push.stopped = true;
            Channels.closeQuietly(push.channel);
        }
    }

    private void deliver(Push push, long tag, String messageId, byte[] body, int attempt, Context trace) {
        if (!push.stopped) {
            // The egress check resolves the host name and the send blocks: never on a broker or event-loop thread.
            Infrastructure.getDefaultWorkerPool().execute(() -> tracing.inSpan(trace, "webhook push",
                    () -> attempt(push, tag, messageId, body, attempt, trace)));
        }
    }

    /**
     * One POST through the egress policy of the client's organisation, checked again on every attempt (a name may
     * resolve elsewhere by now). No redirect is followed: a redirected POST may go on as a GET without the message,
     * whose 2xx would wrongly count as delivered; a 3xx is a failed attempt.
     */
    private void attempt(Push push, long tag, String messageId, byte[] body, int attempt, Context trace) {
        if (push.stopped) {
            return;
        }
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(push.url)
                .timeout(config.webhook().timeout())
                .header("Content-Type", "application/json")
                .header(TIMESTAMP_HEADER, timestamp)
                .header(SIGNATURE_HEADER, "sha256=" + sign(push.secret, timestamp, body))
                .header(MESSAGE_ID_HEADER, messageId == null ? "" : messageId)
                .header(ATTEMPT_HEADER, Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long started = System.nanoTime();
        String failure;
        try {
            int status = push.http.send(request, Set.of()).status();
            failure = status / 100 == 2 ? null : "status " + status;
        } catch (EgressRefused e) {
            failure = e.getMessage();
            Log.warnf("Webhook of client %s: %s", push.clientId, failure);
        } catch (IOException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        metrics.webhook(push.clientId, failure == null ? "delivered" : "failed", latency);
        if (failure == null) {
            settle(push, tag, true);
            metrics.delivered(push.clientId, "webhook", 1);
        } else if (attempt >= config.webhook().maxAttempts()) {
            Log.warnf("Webhook of client %s failed %d times for message %s (last: %s); dead-lettering it",
                    push.clientId, attempt, messageId, failure);
            settle(push, tag, false);
            metrics.deadLettered(push.clientId, "webhook");
        } else {
            Log.debugf("Webhook of client %s failed (%s); attempt %d of %d", push.clientId, failure, attempt,
                    config.webhook().maxAttempts());
            Duration pause = ExponentialBackoff.delay(config.webhook().initialBackoff(), config.webhook().maxBackoff(),
                    attempt);
            vertx.setTimer(pause.toMillis(), id -> deliver(push, tag, messageId, body, attempt + 1, trace));
        }
    }

    /** Acknowledges a delivered message, or rejects a failed one without requeue so the inbox dead-letters it. */
    private static void settle(Push push, long tag, boolean delivered) {
        if (push.stopped) {
            return;
        }
        try {
            if (delivered) {
                push.channel.basicAck(tag, false);
            } else {
                push.channel.basicReject(tag, false);
            }
        } catch (IOException | ShutdownSignalException e) {
            Log.debugf("Channel of client %s closed before settling; the message will be pushed again",
                    push.clientId);
        }
    }

    /** Hex HMAC-SHA256 of {@code "<timestamp>.<body>"}, the value of {@code X-Bulwark-Signature} after "sha256=". */
    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static final class Push {
        final String clientId;
        final URI url;
        final String secret;
        final Channel channel;
        final EgressHttp http;
        volatile boolean stopped;

        Push(String clientId, URI url, String secret, Channel channel, EgressHttp http) {
            this.clientId = clientId;
            this.url = url;
            this.secret = secret;
            this.channel = channel;
            this.http = http;
        }
    }
}
