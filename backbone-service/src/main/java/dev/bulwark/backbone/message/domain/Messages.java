package dev.bulwark.backbone.message.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.backbone.broker.messaging.Metrics;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.client.domain.ClientRights;
import dev.bulwark.backbone.client.domain.Clients;
import dev.bulwark.backbone.client.domain.NotAllowed;
import dev.bulwark.backbone.client.domain.TopicPattern;
import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.backbone.message.messaging.Publisher;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem;
import dev.bulwark.common.messaging.MessageEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Sending on the backbone: checks the sender's rights, wraps the payload in the suite envelope with the sender
 * stamped from its token, and publishes with confirms.
 */
@ApplicationScoped
public class Messages {

    /** One message a client sends. */
    public record Outgoing(String topic, JsonNode payload, String correlationId) {
    }

    private final ClientRights callers;
    private final Publisher publisher;
    private final BackboneConfig config;
    private final Metrics metrics;
    private final ObjectMapper json;

    Messages(ClientRights callers, Publisher publisher, BackboneConfig config, Metrics metrics, ObjectMapper json) {
        this.callers = callers;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * Publishes every message or none is acknowledged: the ids come back only after the broker confirmed all. The
     * messages go to the sender's organisation's exchange, so they reach only that organisation's inboxes. The
     * checks and the publish happen before this returns (they may block); the confirm completes the stage.
     */
    public CompletionStage<List<String>> send(String sender, String orgId, List<Outgoing> messages) {
        if (messages.size() > config.publish().maxBatch()) {
            throw new Invalid("Too many messages", List.of(new Problem.FieldViolation("messages",
                    "at most " + config.publish().maxBatch() + " per batch")));
        }
        Clients.Rights rights = callers.of(sender, orgId);
        List<Problem.FieldViolation> invalid = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String problem = TopicPattern.topicProblem(messages.get(i).topic());
            if (problem != null) {
                invalid.add(new Problem.FieldViolation(field(messages.size(), i), problem));
            }
        }
        if (!invalid.isEmpty()) {
            throw new Invalid("The request has invalid topics", invalid);
        }
        for (Outgoing message : messages) {
            if (rights.publish().stream().noneMatch(p -> TopicPattern.matches(p, message.topic()))) {
                throw new NotAllowed("Client '" + sender + "' may not publish on '" + message.topic() + "'");
            }
        }
        Instant now = Instant.now();
        List<Publisher.Outgoing> outgoing = messages.stream()
                .map(m -> envelope(Names.publish(rights.orgId()), m.topic(), m.topic(), sender, now, m)).toList();
        List<String> ids = outgoing.stream().map(Publisher.Outgoing::id).toList();
        return publisher.publish(rights.orgId(), outgoing).thenApply(confirmed -> {
            metrics.sent(sender, "topic", ids.size());
            return ids;
        });
    }

    /** A message to every inbox of the sender's organisation; the stage completes with its id once confirmed. */
    public CompletionStage<String> notify(String sender, String orgId, JsonNode payload, String correlationId) {
        Clients.Rights rights = callers.of(sender, orgId);
        if (!rights.broadcast()) {
            throw new NotAllowed("Client '" + sender + "' may not broadcast");
        }
        Publisher.Outgoing outgoing = envelope(Names.broadcast(rights.orgId()), "", Names.BROADCAST_TOPIC, sender,
                Instant.now(), new Outgoing(Names.BROADCAST_TOPIC, payload, correlationId));
        return publisher.publish(rights.orgId(), List.of(outgoing)).thenApply(confirmed -> {
            metrics.sent(sender, "broadcast", 1);
            return outgoing.id();
        });
    }

    private Publisher.Outgoing envelope(String exchange, String routingKey, String topic, String sender, Instant now,
                                        Outgoing message) {
        String id = UUID.randomUUID().toString();
        MessageEnvelope envelope = new MessageEnvelope(id, topic, sender, now, message.correlationId(),
                message.payload());
        try {
            return new Publisher.Outgoing(exchange, routingKey, id, json.writeValueAsBytes(envelope));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise an envelope", e);
        }
    }

    private static String field(int count, int index) {
        return count == 1 ? "topic" : "messages[" + index + "].topic";
    }
}
