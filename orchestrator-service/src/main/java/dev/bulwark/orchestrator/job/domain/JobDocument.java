package dev.bulwark.orchestrator.job.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem.FieldViolation;
import java.util.ArrayList;
import java.util.List;

/** A job document as one parse reads it: collects a violation per bad field while the parse walks it. */
final class JobDocument {

    private final List<FieldViolation> violations = new ArrayList<>();

    /** Throws every violation collected so far at once. */
    void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new Invalid("The job has " + violations.size() + " invalid field"
                    + (violations.size() == 1 ? "" : "s"), violations);
        }
    }

    JsonNode object(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isObject()) {
            violate(path, "is required and must be an object");
            return null;
        }
        return node;
    }

    String text(JsonNode parent, String name, String path, boolean required) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                violate(path, "is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            violate(path, "must be a non-empty string");
            return null;
        }
        return node.asText();
    }

    void violate(String field, String message) {
        violations.add(new FieldViolation(field, message));
    }
}
