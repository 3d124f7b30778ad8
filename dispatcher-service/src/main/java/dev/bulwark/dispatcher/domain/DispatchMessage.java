package dev.bulwark.dispatcher.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated message: {@code message_type}, {@code selector}, {@code values} as on the wire, the id that makes
 * it idempotent (its {@code message_id}, or topic-partition-offset when it has none) and its Kafka key.
 */
public record DispatchMessage(String messageType, ObjectNode selector, ObjectNode values, String messageId,
                              String key) {
}
