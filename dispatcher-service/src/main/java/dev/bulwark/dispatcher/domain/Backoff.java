package dev.bulwark.dispatcher.domain;

import dev.bulwark.dispatcher.config.DispatcherConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: before attempt {@code n + 1}, a wait drawn in [ceiling/2, ceiling] where the
 * ceiling is {@code initial-backoff} doubled {@code n - 1} times, capped at {@code max-backoff}; at least the
 * target's {@code Retry-After}, itself capped at {@code max-retry-after}.
 */
public final class Backoff {

    private final DispatcherConfig.Retry retry;

    public Backoff(DispatcherConfig.Retry retry) {
        this.retry = retry;
    }

    /** Whether a retryable failure of this attempt gets another one. */
    public boolean allowsAnother(int attempt) {
        return attempt < retry.maxAttempts();
    }

    public Duration delay(int attempt, Duration retryAfter) {
        long ceiling = Math.min(retry.maxBackoff().toMillis(),
                retry.initialBackoff().toMillis() << Math.min(attempt - 1, 30));
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        long asked = Math.min(retryAfter.toMillis(), retry.maxRetryAfter().toMillis());
        return Duration.ofMillis(Math.max(jittered, asked));
    }
}
