package dev.bulwark.worker.task.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** This agent's view of a task's lease, on its own clock. */
final class Lease {

    private static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(500);

    private final Duration length;
    private volatile Instant expiresAt;

    Lease(Instant claimedAt, Instant expiresAt) {
        Duration length = expiresAt == null ? DEFAULT_LEASE : Duration.between(claimedAt, expiresAt);
        this.length = length;
        this.expiresAt = claimedAt.plus(length);
    }

    Duration length() {
        return length.isNegative() || length.isZero() ? MIN_HEARTBEAT : length;
    }

    /** How often it is renewed: every third of its length, but not more often than every 500 ms. */
    Duration heartbeat() {
        return length().dividedBy(3).compareTo(MIN_HEARTBEAT) > 0 ? length().dividedBy(3) : MIN_HEARTBEAT;
    }

    boolean heldAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    void renewed(Instant now, Optional<Instant> until) {
        expiresAt = until.orElse(now.plus(length()));
    }
}
