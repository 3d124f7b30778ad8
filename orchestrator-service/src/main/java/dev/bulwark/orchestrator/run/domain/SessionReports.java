package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent.Type;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackOutbox;
import dev.bulwark.orchestrator.run.persistence.RunLedger;
import dev.bulwark.orchestrator.tester.domain.Finding;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What a running {@link SessionTask} reports: events to the followers of its tester's feedback stream, and its
 * state to the {@link RunLedger}, fenced by this instance's lease on the run.
 */
@ApplicationScoped
public class SessionReports {

    private final FeedbackOutbox feedback;
    private final RunLedger ledger;
    private final ServiceInstance instance;
    private final MeterRegistry metrics;

    SessionReports(FeedbackOutbox feedback, RunLedger ledger, ServiceInstance instance, MeterRegistry metrics) {
        this.feedback = feedback;
        this.ledger = ledger;
        this.instance = instance;
        this.metrics = metrics;
    }

    CompletableFuture<FeedbackEvent> publish(UUID runId, String tester, String session, Type type,
                                             Map<String, Object> data) {
        metrics.counter("bulwark.orchestrator.feedback.events", "type", type.name()).increment();
        return feedback.publish(new FeedbackEvent(null, runId.toString(), tester, session, type, Instant.now(), data));
    }

    /** Sets one column of the session's row while it runs. */
    void state(UUID runId, String tester, String session, String column, Object value) {
        ledger.sessionState(runId, instance.id(), tester, session, column, value);
    }

    /** Stores the session's terminal status and findings; false when another instance holds the run now. */
    boolean end(UUID runId, SessionResult result) {
        return ledger.endSession(runId, instance.id(), result);
    }

    void countFindings(String tester, List<Finding> found) {
        found.forEach(f -> metrics.counter("bulwark.orchestrator.findings", "tester", tester,
                "severity", f.severity().name()).increment());
    }
}
