package dev.bulwark.common.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The suite's one retry pause: exponential with "equal jitter". Before retry {@code n} (1 = the first) the ceiling
 * is {@code initial} doubled {@code n - 1} times, capped at {@code max}; the pause is drawn in [ceiling/2, ceiling],
 * so callers that failed together retry apart but never sooner than half the ceiling.
 */
public final class ExponentialBackoff {

    private ExponentialBackoff() {
    }

    public static Duration delay(Duration initial, Duration max, int retry) {
        long first = Math.max(1, initial.toMillis());
        long cap = Math.max(first, max.toMillis());
        int doublings = Math.min(Math.max(retry, 1) - 1, 30);
        long ceiling = first > cap >> doublings ? cap : first << doublings;
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
