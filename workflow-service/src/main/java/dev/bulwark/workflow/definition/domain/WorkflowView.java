package dev.bulwark.workflow.definition.domain;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.UUID;

/** A stored workflow as the API shows it: its id and version beside the document's fields. */
public record WorkflowView(UUID id, int version, Instant createdAt, Instant updatedAt,
                           @JsonUnwrapped WorkflowDocument document) {

    /** One line of the workflow list. */
    public record Summary(UUID id, String name, int version, Instant updatedAt) {
    }
}
