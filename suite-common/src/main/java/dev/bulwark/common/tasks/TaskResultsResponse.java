package dev.bulwark.common.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/** The answer to {@link TaskResults}: one outcome per result, in the order they were sent. */
public record TaskResultsResponse(List<Outcome> results) {

    public TaskResultsResponse {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /**
     * What became of one result: {@code RECORDED} (now or before: the same attempt again changes nothing),
     * {@code CONFLICT} (the attempt no longer holds the task; a single result would answer 409) or {@code NOT_FOUND}
     * (no such task in the caller's organisation; 404).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(UUID taskId, int attempt, Status status, String detail) {

        public enum Status { RECORDED, CONFLICT, NOT_FOUND }
    }
}
