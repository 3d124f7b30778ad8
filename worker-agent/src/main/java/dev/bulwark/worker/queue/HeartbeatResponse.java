package dev.bulwark.worker.queue;

import java.time.Instant;

/** Answer of a heartbeat; {@code leaseExpiresAt} is optional (absent: the lease is renewed for its former length). */
public record HeartbeatResponse(Instant leaseExpiresAt) {
}
