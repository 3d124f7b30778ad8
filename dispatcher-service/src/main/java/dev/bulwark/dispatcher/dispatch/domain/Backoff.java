package dev.bulwark.dispatcher.dispatch.domain;

import dev.bulwark.common.retry.ExponentialBackoff;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import java.time.Duration;

/**
 * The suite's {@link ExponentialBackoff} between {@code initial-backoff} and {@code max-backoff} before attempt
 * {@code n + 1}, but at least the target's {@code Retry-After}, itself capped at {@code max-retry-after}.
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
        long jittered = ExponentialBackoff.delay(retry.initialBackoff(), retry.maxBackoff(), attempt).toMillis();
        long asked = Math.min(retryAfter.toMillis(), retry.maxRetryAfter().toMillis());
        return Duration.ofMillis(Math.max(jittered, asked));
    }
}
