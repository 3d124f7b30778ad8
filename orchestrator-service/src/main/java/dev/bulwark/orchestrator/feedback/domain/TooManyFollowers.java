package dev.bulwark.orchestrator.feedback.domain;

import dev.bulwark.common.error.ProblemException;
import java.util.Map;

/** The caller holds as many feedback streams or long polls as allowed: 429 with {@code Retry-After}. */
public class TooManyFollowers extends ProblemException {

    static final String RETRY_AFTER_SECONDS = "5";

    public TooManyFollowers(String detail) {
        super(429, "too-many-feedback-requests", "Too many feedback requests", detail, null, null);
    }

    @Override
    public boolean retryable() {
        return true;
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", RETRY_AFTER_SECONDS);
    }
}
