package dev.bulwark.workflow.execution.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.common.messaging.MessageEnvelope;
import dev.bulwark.common.tracing.TraceContext;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes execution events (started, action finished, finished) to Kafka topic {@value #TOPIC}, keyed by execution
 * id so they stay in order per execution. Events leave only after the transaction that caused them commits.
 * Payloads carry ids and statuses, never outputs (they may hold data the organisation keeps to itself). Each record
 * carries the execution's trace context as its {@code traceparent} header, so all of an execution's events continue
 * the trace of the request that started it; the connector's own producer span per record is off (tracing-enabled).
 */
@ApplicationScoped
public class ExecutionEvents {

    public static final String CHANNEL = "execution-events";
    public static final String TOPIC = "bulwark.execution-events";
    public static final String STARTED = "execution.started";
    public static final String ACTION_FINISHED = "execution.action-finished";
    public static final String FINISHED = "execution.finished";

    private final Emitter<String> emitter;
    private final TransactionSynchronizationRegistry transactions;
    private final ObjectMapper json;

    ExecutionEvents(@Channel(CHANNEL) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<String> emitter,
                    TransactionSynchronizationRegistry transactions, ObjectMapper json) {
        this.emitter = emitter;
        this.transactions = transactions;
        this.json = json;
    }

    /**
     * @param type        {@link #STARTED}, {@link #ACTION_FINISHED} or {@link #FINISHED}
     * @param actionId    the action, for {@link #ACTION_FINISHED}
     * @param status      the execution's or the action's status
     * @param traceparent the execution's trace context, {@code null} when it started outside a trace
     */
    public void publish(String type, UUID orgId, UUID executionId, UUID workflowId, String actionId, String status,
                        String traceparent) {
        ObjectNode payload = json.createObjectNode().put("type", type).put("executionId", executionId.toString())
                .put("workflowId", workflowId.toString()).put("org", orgId.toString()).put("status", status);
        if (actionId != null) {
            payload.put("actionId", actionId);
        }
        MessageEnvelope envelope = new MessageEnvelope(UUID.randomUUID().toString(), TOPIC, "workflow-service",
                Instant.now(), executionId.toString(), payload);
        String body;
        try {
            body = json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata =
                OutgoingKafkaRecordMetadata.<String>builder().withKey(executionId.toString());
        if (traceparent != null) {
            metadata.addHeaders(new RecordHeader(TraceContext.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8)));
        }
        Message<String> message = Message.of(body).addMetadata(metadata.build());
        pending().add(message);
    }

    /** The events of the current transaction, sent in order once it commits. */
    @SuppressWarnings("unchecked")
    private List<Message<String>> pending() {
        List<Message<String>> pending = (List<Message<String>>) transactions.getResource(ExecutionEvents.class);
        if (pending == null) {
            List<Message<String>> created = new ArrayList<>();
            transactions.putResource(ExecutionEvents.class, created);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        created.forEach(ExecutionEvents.this::send);
                    }
                }
            });
            pending = created;
        }
        return pending;
    }

    private void send(Message<String> message) {
        try {
            emitter.send(message.withAck(() -> CompletableFuture.completedFuture(null))
                    .withNack(failure -> {
                        Log.warnf("An execution event was not published: %s", failure.getMessage());
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException e) {
            Log.warnf("An execution event was not published: %s", e.getMessage());
        }
    }
}
