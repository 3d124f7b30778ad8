package dev.bulwark.dispatcher.dispatch.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated message: {@code message_type}, {@code selector}, {@code values} as on the wire, the id that makes
 * it idempotent (its {@code message_id}, or topic-partition-offset when it has none) and its Kafka key.
 * {@code values} may hold secrets (a hook secret, credentials inside an argument): {@link #toString()} names its
 * fields, never their values.
 */
public record DispatchMessage(String messageType, ObjectNode selector, ObjectNode values, String messageId,
                              String key) {

    @Override
    public String toString() {
        List<String> fields = new ArrayList<>();
        if (values != null) {
            values.fieldNames().forEachRemaining(fields::add);
        }
        return "DispatchMessage[messageType=" + messageType + ", messageId=" + messageId + ", key=" + key
                + ", selector=" + selector + ", values=" + fields + " (values hidden)]";
    }
}
