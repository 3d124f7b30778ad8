package dev.bulwark.dispatcher.dispatch.domain;

import dev.bulwark.common.error.Unavailable;
import java.time.Duration;
import java.util.Optional;

/** A target could not do it now (5xx, 429, unreachable); {@code retryAfter} is the target's own hint, if any. */
public class RetryableFailure extends Unavailable {

    private final transient Duration retryAfter;

    public RetryableFailure(String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
