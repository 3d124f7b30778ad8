package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.ProblemException;
import java.time.Duration;
import java.util.Map;

/** Repeated failures from this source: wait before the next attempt, 429 with {@code Retry-After}. */
public class TooManyAttempts extends ProblemException {

    private final long retryAfterSeconds;

    public TooManyAttempts(Duration retryAfter) {
        super(429, "too-many-attempts", "Too many failed attempts",
                "Too many failed sign-in attempts from this address; try again after the delay in Retry-After", null, null);
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    @Override
    public boolean retryable() {
        return true;
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", Long.toString(retryAfterSeconds));
    }
}
