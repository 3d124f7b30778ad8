package dev.bulwark.common.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/tasks/{taskId}/result}: idempotent by task id and attempt. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskResult(@NotNull @Min(1) Integer attempt, @NotNull Status status, JsonNode output,
                         @Size(max = 10000) String error, String log) {

    /** How the action ended. */
    public enum Status { SUCCESS, FAILURE }

    /** Leaves out the output and the log, which may hold data of the organisation. */
    @Override
    public String toString() {
        return "result of attempt " + attempt + ": " + status;
    }
}
