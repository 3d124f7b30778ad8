package dev.bulwark.worker.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: each {@link #next()} doubles the ceiling from {@code min} up to {@code max} and
 * returns a random pause between half the ceiling and the ceiling, so agents that failed together retry apart.
 */
public final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private long ceiling;
    private int failures;

    public Backoff(Duration min, Duration max) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
        this.ceiling = minMillis;
    }

    /** The longest pause. */
    public Duration max() {
        return Duration.ofMillis(maxMillis);
    }

    /** A fresh backoff with the same bounds. */
    public Backoff copy() {
        return new Backoff(Duration.ofMillis(minMillis), Duration.ofMillis(maxMillis));
    }

    public Duration next() {
        long current = ceiling;
        ceiling = Math.min(maxMillis, ceiling * 2);
        failures++;
        return Duration.ofMillis(current / 2 + ThreadLocalRandom.current().nextLong(current / 2 + 1));
    }

    /** How many pauses since the last {@link #reset()}. */
    public int failures() {
        return failures;
    }

    public void reset() {
        ceiling = minMillis;
        failures = 0;
    }
}
