package dev.bulwark.orchestrator.feedback.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One typed feedback event of a tester session. {@code id} is the Redis stream entry id: it orders the events of a
 * tester and is the cursor (long poll) and {@code Last-Event-ID} (SSE) clients resume from.
 *
 * @param data {@code progress}: {@code message} (and {@code heartbeat: true} on heartbeats); {@code pctComplete}:
 *             {@code pctComplete}; {@code findingCount}: {@code findingCount}; {@code finished}: {@code findings};
 *             {@code failed}: {@code reason}. Terminal
 *             events also carry {@code testerDone} (last session of its tester) and {@code runDone} (last of run).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackEvent(String id, String run, String tester, String session, Type type, Instant at,
                            Map<String, Object> data) {

    public enum Type { progress, pctComplete, findingCount, finished, failed }

    public FeedbackEvent withId(String newId) {
        return new FeedbackEvent(newId, run, tester, session, type, at, data);
    }

    public boolean terminal() {
        return type == Type.finished || type == Type.failed;
    }

    public boolean testerDone() {
        return terminal() && Boolean.TRUE.equals(data.get("testerDone"));
    }

    public boolean runDone() {
        return terminal() && Boolean.TRUE.equals(data.get("runDone"));
    }

    /** Whether this event comes after the stream entry {@code cursor} ({@code null} means the start). */
    public boolean after(String cursor) {
        return compareIds(id, cursor) > 0;
    }

    /** Orders Redis stream ids ({@code millis-sequence}); {@code null} sorts first. */
    public static int compareIds(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int byTime = Long.compare(Long.parseLong(dashA < 0 ? a : a.substring(0, dashA)),
                Long.parseLong(dashB < 0 ? b : b.substring(0, dashB)));
        if (byTime != 0) {
            return byTime;
        }
        return Long.compare(dashA < 0 ? 0 : Long.parseLong(a.substring(dashA + 1)),
                dashB < 0 ? 0 : Long.parseLong(b.substring(dashB + 1)));
    }
}
