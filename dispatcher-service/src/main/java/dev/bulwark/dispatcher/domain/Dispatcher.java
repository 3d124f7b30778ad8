package dev.bulwark.dispatcher.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import dev.bulwark.dispatcher.messaging.KafkaOutbox;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Runs each consumed record to one outcome — handled, dead-lettered, or already completed — and only then acks it,
 * so its offset is committed (throttled strategy) only after that outcome. Records are spread over ordered lanes by
 * key: a lane runs one record at a time, in arrival order, so records of one key keep their order while different
 * keys run concurrently, up to {@code concurrency} at once. Retries wait on a timer, not on a thread. Created at
 * start-up, so a broken schema or a duplicate handler type stops the service before it consumes anything.
 */
@Startup
@ApplicationScoped
public class Dispatcher {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, MessageHandler> handlers;
    private final MessageSchemas schemas;
    private final SecretRedactor redactor;
    private final CompletedMessages completed;
    private final KafkaOutbox outbox;
    private final DispatchMetrics metrics;
    private final ObjectMapper mapper;
    private final DispatcherConfig.Retry retry;
    private final int maxInFlight;

    private final ExecutorService workers;
    private final CompletableFuture<?>[] lanes;
    private final AtomicLong unkeyed = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<CompletableFuture<Integer>> sleeping = ConcurrentHashMap.newKeySet();
    private final Object admission = new Object();
    private CompletableFuture<Void> admissionWaiter;
    private volatile boolean stopping;

    Dispatcher(Instance<MessageHandler> handlers, CompletedMessages completed, KafkaOutbox outbox,
               DispatchMetrics metrics, ObjectMapper mapper, DispatcherConfig config) {
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(MessageHandler::type,
                Function.identity()));
        this.schemas = new MessageSchemas(this.handlers.keySet());
        this.redactor = new SecretRedactor(schemas.secretPaths());
        this.completed = completed;
        this.outbox = outbox;
        this.metrics = metrics;
        this.mapper = mapper;
        this.retry = config.retry();
        this.maxInFlight = config.maxInFlight();
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.concurrency(), task -> {
            Thread thread = new Thread(task, "dispatcher-lane-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.lanes = new CompletableFuture<?>[config.concurrency()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = CompletableFuture.completedFuture(null);
        }
        metrics.inFlight(inFlight::get);
    }

    /**
     * Queues a record on its lane. The returned stage completes once there is room for another record in flight,
     * which is how consumption is paused while {@code max-in-flight} records are unfinished.
     */
    public CompletionStage<Void> submit(Message<String> record) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<String, String> meta = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("Not a Kafka record"));
        int lane = meta.getKey() == null
                ? (int) Math.floorMod(unkeyed.getAndIncrement(), (long) lanes.length)
                : Math.floorMod(meta.getKey().hashCode(), lanes.length);
        inFlight.incrementAndGet();
        synchronized (lanes) {
            // handle(): whatever became of the previous record, the lane moves on to this one.
            lanes[lane] = lanes[lane]
                    .handle((previous, failure) -> null)
                    .thenComposeAsync(previous -> process(record, meta), workers)
                    .whenComplete((done, failure) -> release());
        }
        return admit();
    }

    private CompletionStage<Void> admit() {
        synchronized (admission) {
            if (inFlight.get() <= maxInFlight) {
                return CompletableFuture.completedFuture(null);
            }
            admissionWaiter = new CompletableFuture<>();
            return admissionWaiter;
        }
    }

    private void release() {
        CompletableFuture<Void> waiter = null;
        synchronized (admission) {
            if (inFlight.decrementAndGet() <= maxInFlight && admissionWaiter != null) {
                waiter = admissionWaiter;
                admissionWaiter = null;
            }
        }
        if (waiter != null) {
            waiter.complete(null);
        }
    }

    private CompletableFuture<Void> process(Message<String> record, IncomingKafkaRecordMetadata<String, String> meta) {
        if (stopping) {
            return CompletableFuture.completedFuture(null);
        }
        Instant started = Instant.now();
        CompletableFuture<Void> outcome;
        try {
            outcome = route(record, meta, started);
        } catch (RuntimeException unexpected) {
            outcome = CompletableFuture.failedFuture(unexpected);
        }
        return outcome.exceptionally(failure -> {
            Log.errorf(failure, "Record %s-%d@%d could be neither handled nor dead-lettered; it is not acknowledged",
                    meta.getTopic(), meta.getPartition(), meta.getOffset());
            record.nack(failure);
            return null;
        });
    }

    private CompletableFuture<Void> route(Message<String> record, IncomingKafkaRecordMetadata<String, String> meta,
                                          Instant started) {
        String payload = record.getPayload();
        JsonNode json;
        try {
            json = payload == null ? null : mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            return deadLetter(record, meta, redactor.redact(TextNode.valueOf(payload), null),
                    DispatchMetrics.NO_HANDLER, "Invalid JSON: " + e.getOriginalMessage(), 0, started);
        }
        if (json == null || json.isMissingNode()) {
            return deadLetter(record, meta, redactor.redact(TextNode.valueOf(payload == null ? "" : payload), null),
                    DispatchMetrics.NO_HANDLER, "Empty message", 0, started);
        }
        String type;
        try {
            type = schemas.validate(json);
        } catch (Invalid e) {
            JsonNode declared = json.path("message_type");
            String handler = declared.isTextual() && handlers.containsKey(declared.asText())
                    ? declared.asText() : DispatchMetrics.NO_HANDLER;
            return deadLetter(record, meta,
                    redactor.redact(json, DispatchMetrics.NO_HANDLER.equals(handler) ? null : handler),
                    handler, e.getMessage(), 0, started);
        }
        String messageId = json.hasNonNull("message_id") ? json.get("message_id").asText()
                : meta.getTopic() + "-" + meta.getPartition() + "-" + meta.getOffset();
        ObjectNode selector = json.get("selector") instanceof ObjectNode given ? given : mapper.createObjectNode();
        DispatchMessage message = new DispatchMessage(type, selector, (ObjectNode) json.get("values"), messageId,
                meta.getKey());
        if (alreadyCompleted(messageId)) {
            Log.debugf("Message %s (%s) was already handled; acknowledged without running it again", messageId, type);
            metrics.duplicate(type);
            return record.ack().toCompletableFuture();
        }
        return attempt(record, meta, redactor.redact(json, type), message, 1, started);
    }

    private CompletableFuture<Void> attempt(Message<String> record, IncomingKafkaRecordMetadata<String, String> meta,
                                            SecretRedactor.Redacted redacted, DispatchMessage message, int attempt,
                                            Instant started) {
        if (stopping) {
            return CompletableFuture.completedFuture(null);
        }
        String type = message.messageType();
        try {
            handlers.get(type).handle(message);
        } catch (Exception e) {
            Failures.Verdict verdict = Failures.classify(e);
            if (verdict.retryable() && attempt < retry.maxAttempts()) {
                Duration delay = backoff(attempt, verdict.retryAfter().orElse(Duration.ZERO));
                Log.infof("Message %s (%s) attempt %d failed, retrying in %d ms: %s", message.messageId(), type,
                        attempt, delay.toMillis(), redacted.scrub(verdict.reason()));
                metrics.retried(type);
                CompletableFuture<Integer> sleep = new CompletableFuture<Integer>()
                        .completeOnTimeout(attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
                sleeping.add(sleep);
                return sleep.whenComplete((woken, failure) -> sleeping.remove(sleep))
                        .thenComposeAsync(previous -> attempt(record, meta, redacted, message, previous + 1, started),
                                workers);
            }
            Log.warnf("Message %s (%s) failed after %d attempt(s), dead-lettered: %s", message.messageId(), type,
                    attempt, redacted.scrub(verdict.reason()));
            return deadLetter(record, meta, redacted, type, verdict.reason(), attempt, started);
        }
        markCompleted(message);
        metrics.handled(type, Duration.between(started, Instant.now()));
        return record.ack().toCompletableFuture();
    }

    /**
     * Writes the dead letter: the message and headers without their secrets, the reason scrubbed of them, which
     * paths were redacted, and where the original record is (to replay it while the input topic still holds it).
     */
    private CompletableFuture<Void> deadLetter(Message<String> record,
                                               IncomingKafkaRecordMetadata<String, String> meta,
                                               SecretRedactor.Redacted original, String handler, String reason,
                                               int attempts, Instant started) {
        String safeReason = original.scrub(reason);
        ObjectNode letter = mapper.createObjectNode();
        letter.set("message", original.message());
        letter.put("error", safeReason);
        letter.put("attempts", attempts);
        if (DispatchMetrics.NO_HANDLER.equals(handler)) {
            letter.putNull("handler");
        } else {
            letter.put("handler", handler);
        }
        letter.put("failedAt", Instant.now().toString());
        letter.putObject("source").put("topic", meta.getTopic()).put("partition", meta.getPartition())
                .put("offset", meta.getOffset());
        RecordHeaders headers = new RecordHeaders();
        ArrayNode redacted = original.pathsAsJson();
        if (meta.getHeaders() != null) {
            for (Header header : meta.getHeaders()) {
                if (SecretRedactor.secretName(header.key())) {
                    headers.add(header.key(), SecretRedactor.REDACTED.getBytes(StandardCharsets.UTF_8));
                    redacted.add("headers." + header.key());
                } else {
                    headers.add(header);
                }
            }
        }
        if (!redacted.isEmpty()) {
            letter.set("redacted", redacted);
        }
        if (attempts == 0) {
            Log.warnf("Record %s-%d@%d rejected, dead-lettered: %s", meta.getTopic(), meta.getPartition(),
                    meta.getOffset(), safeReason);
        }
        return outbox.deadLetter(meta.getKey(), headers, letter.toString()).toCompletableFuture()
                .thenCompose(sent -> {
                    metrics.deadLettered(handler, Duration.between(started, Instant.now()));
                    return record.ack();
                });
    }

    private Duration backoff(int attempt, Duration retryAfter) {
        long ceiling = Math.min(retry.maxBackoff().toMillis(),
                retry.initialBackoff().toMillis() << Math.min(attempt - 1, 30));
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        long asked = Math.min(retryAfter.toMillis(), retry.maxRetryAfter().toMillis());
        return Duration.ofMillis(Math.max(jittered, asked));
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

    /**
     * Runs before the Kafka consumer and the Redis client close: records still queued or waiting for a retry are
     * left unacknowledged (redelivered to whoever consumes next), the ones being handled finish, are recorded as
     * completed and acknowledged while both are still open.
     */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
        sleeping.forEach(sleep -> sleep.complete(0));
        CompletableFuture<?>[] tails;
        synchronized (lanes) {
            tails = lanes.clone();
        }
        try {
            CompletableFuture.allOf(tails).get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            Log.warnf("Lanes did not drain cleanly on shutdown (%s); unfinished records will be redelivered", e);
        }
        workers.shutdownNow();
    }
}
