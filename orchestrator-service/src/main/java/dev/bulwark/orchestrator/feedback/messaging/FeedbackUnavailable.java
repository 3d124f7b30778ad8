package dev.bulwark.orchestrator.feedback.messaging;

import dev.bulwark.common.error.Unavailable;
import java.util.Map;

/** Feedback cannot be read because Redis does not answer: 503 with {@code Retry-After}, the client tries again. */
public class FeedbackUnavailable extends Unavailable {

    static final String RETRY_AFTER_SECONDS = "2";

    public FeedbackUnavailable(Throwable cause) {
        super("Feedback is unavailable for a moment (its store does not answer); retry shortly", cause);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", RETRY_AFTER_SECONDS);
    }
}
