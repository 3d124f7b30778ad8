package dev.bulwark.common.tasks;

import java.time.Instant;
import java.util.UUID;

/** Answer of a heartbeat: the attempt's lease now runs until {@code leaseExpiresAt}. */
public record HeartbeatResponse(UUID taskId, int attempt, Instant leaseExpiresAt) {
}
