package dev.bulwark.common.tasks;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/queue/claim}.
 *
 * @param environment the agents' environment ({@code default} when absent)
 * @param max         tasks wanted (1 when absent)
 * @param waitSeconds long-poll time when nothing is queued (0 when absent, at most 30)
 */
public record ClaimRequest(@Size(max = 100) String environment, @Min(1) @Max(100) Integer max,
                           @Min(0) @Max(30) Integer waitSeconds) {
}
