package dev.bulwark.common.tasks;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code POST /api/v1/tasks/{taskId}/heartbeat}: renews the lease of that attempt. */
public record Heartbeat(@NotNull @Min(1) Integer attempt) {
}
