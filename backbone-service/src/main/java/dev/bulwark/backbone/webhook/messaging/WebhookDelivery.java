package dev.bulwark.backbone.webhook.messaging;

import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.MessageTracing;
import dev.bulwark.backbone.broker.messaging.Metrics;
import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.egress.EgressHttp;
import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.common.egress.EgressRefused;
import dev.bulwark.common.retry.ExponentialBackoff;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers one message of a push loop to the client's webhook: a signed POST, retried after a backoff until it is
 * answered with a 2xx (the message is acked) or the last attempt failed (it is rejected into the dead-letter
 * queue). Each attempt runs on a worker thread and retries wait on timers, so a slow or dead receiver delays only
 * its own client. Every attempt passes the egress policy of the client's organisation.
 */
@ApplicationScoped
public class WebhookDelivery {

    public static final String TIMESTAMP_HEADER = "X-Bulwark-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Bulwark-Signature";
    public static final String MESSAGE_ID_HEADER = "X-Bulwark-Message-Id";
    public static final String ATTEMPT_HEADER = "X-Bulwark-Attempt";

    private final BackboneConfig config;
    private final Metrics metrics;
    private final Vertx vertx;
    private final HttpClient http;
    private final MessageTracing tracing;

    WebhookDelivery(BackboneConfig config, Metrics metrics, Vertx vertx, MessageTracing tracing) {
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
        this.tracing = tracing;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhook().timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The HTTP client of one push loop, held to the egress policy of the client's organisation. */
    EgressHttp client(EgressPolicy policy) {
        return new EgressHttp(policy, http, 0, policy.maxBody());
    }

    void deliver(Push push, long tag, String messageId, byte[] body, int attempt, Context trace) {
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
}
