package dev.bulwark.common.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The envelope every message carries on the backbone and on event topics. {@code sender} is stamped by the service
 * that accepted the message from the authenticated caller, never taken from the caller's input.
 */
public record MessageEnvelope(String id, String topic, String sender, Instant sentAt, String correlationId,
                              JsonNode payload) {
}
