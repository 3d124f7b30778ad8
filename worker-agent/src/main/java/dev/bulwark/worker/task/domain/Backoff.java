package dev.bulwark.worker.task.domain;

import dev.bulwark.common.retry.ExponentialBackoff;
import java.time.Duration;

/**
 * The suite's {@link ExponentialBackoff} with a count of consecutive failures: each {@link #next()} is the pause
 * before the next retry, from about {@code min} up to {@code max}, so agents that failed together retry apart.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private int failures;

    public Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max.compareTo(min) < 0 ? min : max;
    }

    /** The longest pause. */
    public Duration max() {
        return max;
    }

    /** A fresh backoff with the same bounds. */
    public Backoff copy() {
        return new Backoff(min, max);
    }

    public Duration next() {
        failures++;
        return ExponentialBackoff.delay(min, max, failures);
    }

    /** How many pauses since the last {@link #reset()}. */
    public int failures() {
        return failures;
    }

    public void reset() {
        failures = 0;
    }
}
