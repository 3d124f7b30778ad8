package dev.bulwark.workflow.limits.domain;

import dev.bulwark.common.error.ProblemException;
import java.util.Map;

/**
 * A request goes over one of the service's limits (docs/security.md, "Limits"). The detail names the limit and its
 * configuration key; rates and concurrency caps say when to try again.
 */
public class LimitExceeded extends ProblemException {

    private final Long retryAfterSeconds;

    private LimitExceeded(int status, String detail, Long retryAfterSeconds) {
        super(status, "limit-exceeded", "Limit exceeded", detail, null, null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The request itself is too big (items, tasks, sizes): 400. */
    public static LimitExceeded request(String detail) {
        return new LimitExceeded(400, detail, null);
    }

    /** The organisation holds as much as it may (schedules): 409. */
    public static LimitExceeded quota(String detail) {
        return new LimitExceeded(409, detail, null);
    }

    /** Too many at once or per period: 429, with {@code Retry-After}. */
    public static LimitExceeded rate(String detail, long retryAfterSeconds) {
        return new LimitExceeded(429, detail, Math.max(1, retryAfterSeconds));
    }

    @Override
    public boolean retryable() {
        return retryAfterSeconds != null;
    }

    @Override
    public Map<String, String> headers() {
        return retryAfterSeconds == null ? Map.of() : Map.of("Retry-After", Long.toString(retryAfterSeconds));
    }
}
