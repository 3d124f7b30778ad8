package dev.bulwark.dispatcher.dispatch.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import dev.bulwark.dispatcher.dispatch.persistence.CompletedMessages;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs each delivered record to one outcome — handled, dead-lettered, or already completed — and only then
 * acknowledges it. A transient failure is retried after a {@link Backoff} wait on the {@link RetryClock}; after the
 * last attempt, or at once for a permanent failure, the record is dead-lettered without its secrets. Created at
 * start-up, so a broken schema or a duplicate handler type stops the service before it consumes anything.
 */
@Startup
@ApplicationScoped
public class Dispatcher {

    private final Map<String, MessageHandler> handlers;
    private final MessageSchemas schemas;
    private final SecretRedactor redactor;
    private final CompletedMessages completed;
    private final DispatchMetrics metrics;
    private final ObjectMapper mapper;
    private final Backoff backoff;
    private final RetryClock clock;

    Dispatcher(Instance<MessageHandler> handlers, CompletedMessages completed, DispatchMetrics metrics,
               ObjectMapper mapper, DispatcherConfig config, RetryClock clock) {
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(MessageHandler::type,
                Function.identity()));
        this.schemas = new MessageSchemas(this.handlers.keySet());
        this.redactor = new SecretRedactor(schemas.secretPaths());
        this.completed = completed;
        this.metrics = metrics;
        this.mapper = mapper;
        this.backoff = new Backoff(config.retry());
        this.clock = clock;
    }

    /** Completes when the record has an outcome, or was left unacknowledged because the service is stopping. */
    public CompletableFuture<Void> process(Delivery delivery) {
        if (clock.stopping()) {
            return CompletableFuture.completedFuture(null);
        }
        Instant started = Instant.now();
        CompletableFuture<Void> outcome;
        try {
            outcome = route(delivery, started);
        } catch (RuntimeException unexpected) {
            outcome = CompletableFuture.failedFuture(unexpected);
        }
        return outcome.exceptionally(failure -> {
            Log.errorf(failure, "Record %s could be neither handled nor dead-lettered; it is not acknowledged",
                    delivery.origin());
            delivery.nack(failure);
            return null;
        });
    }

    private CompletableFuture<Void> route(Delivery delivery, Instant started) {
        String payload = delivery.payload();
        JsonNode json;
        try {
            json = payload == null ? null : mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            return deadLetter(delivery, redactor.redact(TextNode.valueOf(payload), null),
                    DispatchMetrics.NO_HANDLER, "Invalid JSON: " + e.getOriginalMessage(), 0, started);
        }
        if (json == null || json.isMissingNode()) {
            return deadLetter(delivery, redactor.redact(TextNode.valueOf(payload == null ? "" : payload), null),
                    DispatchMetrics.NO_HANDLER, "Empty message", 0, started);
        }
        String type;
        try {
            type = schemas.validate(json);
        } catch (Invalid e) {
            JsonNode declared = json.path("message_type");
            String handler = declared.isTextual() && handlers.containsKey(declared.asText())
                    ? declared.asText() : DispatchMetrics.NO_HANDLER;
            return deadLetter(delivery,
                    redactor.redact(json, DispatchMetrics.NO_HANDLER.equals(handler) ? null : handler),
                    handler, e.getMessage(), 0, started);
        }
        String messageId = json.hasNonNull("message_id") ? json.get("message_id").asText() : delivery.origin();
        ObjectNode selector = json.get("selector") instanceof ObjectNode given ? given : mapper.createObjectNode();
        DispatchMessage message = new DispatchMessage(type, selector, (ObjectNode) json.get("values"), messageId,
                delivery.key());
        if (alreadyCompleted(messageId)) {
            Log.debugf("Message %s (%s) was already handled; acknowledged without running it again", messageId, type);
            metrics.duplicate(type);
            return delivery.ack().toCompletableFuture();
        }
        return attempt(delivery, redactor.redact(json, type), message, 1, started);
    }

    private CompletableFuture<Void> attempt(Delivery delivery, SecretRedactor.Redacted redacted,
                                            DispatchMessage message, int attempt, Instant started) {
        if (clock.stopping()) {
            return CompletableFuture.completedFuture(null);
        }
        String type = message.messageType();
        try {
            handlers.get(type).handle(message);
        } catch (Exception e) {
            Failures.Verdict verdict = Failures.classify(e);
            if (verdict.retryable() && backoff.allowsAnother(attempt)) {
                Duration delay = backoff.delay(attempt, verdict.retryAfter().orElse(Duration.ZERO));
                Log.infof("Message %s (%s) attempt %d failed, retrying in %d ms: %s", message.messageId(), type,
                        attempt, delay.toMillis(), redacted.scrub(verdict.reason()));
                metrics.retried(type);
                return clock.after(delay)
                        .thenCompose(woken -> attempt(delivery, redacted, message, attempt + 1, started));
            }
            Log.warnf("Message %s (%s) failed after %d attempt(s), dead-lettered: %s", message.messageId(), type,
                    attempt, redacted.scrub(verdict.reason()));
            return deadLetter(delivery, redacted, type, verdict.reason(), attempt, started);
        }
        markCompleted(message);
        metrics.handled(type, Duration.between(started, Instant.now()));
        return delivery.ack().toCompletableFuture();
    }

    private CompletableFuture<Void> deadLetter(Delivery delivery, SecretRedactor.Redacted original, String handler,
                                               String reason, int attempts, Instant started) {
        String safeReason = original.scrub(reason);
        if (attempts == 0) {
            Log.warnf("Record %s rejected, dead-lettered: %s", delivery.origin(), safeReason);
        }
        DeadLetter letter = new DeadLetter(original, DispatchMetrics.NO_HANDLER.equals(handler) ? null : handler,
                safeReason, attempts);
        return delivery.deadLetter(letter).toCompletableFuture()
                .thenCompose(sent -> {
                    metrics.deadLettered(handler, Duration.between(started, Instant.now()));
                    return delivery.ack();
                });
    }

    /** Without Redis the message is handled anyway: at-least-once wins over at-most-once. */
    private boolean alreadyCompleted(String messageId) {
        try {
            return completed.isCompleted(messageId);
        } catch (RuntimeException e) {
            Log.warnf("Cannot read the completed-message store (%s); handling message %s without the check",
                    e.getMessage(), messageId);
            return false;
        }
    }

    private void markCompleted(DispatchMessage message) {
        try {
            completed.markCompleted(message.messageId(), message.messageType());
        } catch (RuntimeException e) {
            Log.warnf("Cannot record message %s as completed (%s); a redelivery would run it again",
                    message.messageId(), e.getMessage());
        }
    }
}
