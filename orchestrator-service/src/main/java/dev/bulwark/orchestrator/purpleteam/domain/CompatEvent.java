package dev.bulwark.orchestrator.purpleteam.domain;

import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** purpleteam's feedback event: {@code testerProgress}, {@code testerPctComplete} or {@code testerBugCount}. */
public record CompatEvent(Long id, String event, Map<String, Object> data) {

    public static final String ALL_FINISHED = "All Test Sessions of all Testers are finished.";

    /** What the CLI's long poll gets when nothing happened: it counts these to decide when to give up. */
    public static CompatEvent nothingYet() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("progress", null);
        return new CompatEvent(null, "testerProgress", data);
    }

    public static CompatEvent of(FeedbackEvent event) {
        Long id = Long.parseLong(event.id().substring(0, event.id().indexOf('-')));
        return switch (event.type()) {
            case progress -> new CompatEvent(id, "testerProgress", Map.of("progress", event.data().get("message")));
            case pctComplete -> new CompatEvent(id, "testerPctComplete",
                    Map.of("pctComplete", event.data().get("pctComplete")));
            case findingCount -> new CompatEvent(id, "testerBugCount",
                    Map.of("bugCount", event.data().get("findingCount")));
            case finished, failed -> new CompatEvent(id, "testerProgress", Map.of("progress", event.runDone()
                    ? ALL_FINISHED : event.type() == FeedbackEvent.Type.finished
                    ? "Tester finished: session " + event.session() + " found " + event.data().get("findings")
                    + " problem(s)"
                    : "Tester finished with failure: " + event.data().get("reason")));
        };
    }
}
