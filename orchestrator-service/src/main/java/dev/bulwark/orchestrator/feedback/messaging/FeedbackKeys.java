package dev.bulwark.orchestrator.feedback.messaging;

import java.util.regex.Pattern;

/** Redis names of the feedback of a run: one stream and one pub/sub channel (same name) per run and tester. */
public final class FeedbackKeys {

    /** Pattern the service subscribes to once, receiving the live events of every run. */
    public static final String CHANNEL_PATTERN = "bulwark:run:*:tester:*";
    /** Stream ids are {@code millis-sequence}; anything else is not a cursor we handed out. */
    public static final Pattern CURSOR = Pattern.compile("\\d{1,19}(-\\d{1,19})?");

    private FeedbackKeys() {
    }

    public static String stream(String runId, String tester) {
        return "bulwark:run:" + runId + ":tester:" + tester;
    }

    /** Where the purpleteam long poll, whose client sends no cursor, keeps the position of one session. */
    public static String compatCursor(String runId, String tester, String session) {
        return stream(runId, tester) + ":compat-cursor:" + session;
    }
}
