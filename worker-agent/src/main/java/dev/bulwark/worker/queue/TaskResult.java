package dev.bulwark.worker.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** {@code POST /api/v1/tasks/{taskId}/result}: idempotent by task id and attempt. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskResult(int attempt, Status status, JsonNode output, String error, String log) {

    /** How the action ended. */
    public enum Status { SUCCESS, FAILURE }
}
