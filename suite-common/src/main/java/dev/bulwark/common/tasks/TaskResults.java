package dev.bulwark.common.tasks;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/tasks/results}: the results of several tasks in one call, recorded in one transaction; each
 * is idempotent by task id and attempt, as a single result is. The answer says, per task, what became of it.
 */
public record TaskResults(@NotNull @Size(min = 1, max = MAX) List<@Valid @NotNull Item> results) {

    /** The most results one call may carry. */
    public static final int MAX = 100;

    public TaskResults {
        results = results == null ? null : List.copyOf(results);
    }

    /** One task's result. */
    public record Item(@NotNull UUID taskId, @NotNull @Valid TaskResult result) {
    }
}
