package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackKeys;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackStreams;
import dev.bulwark.orchestrator.run.persistence.RunJob;
import dev.bulwark.orchestrator.run.persistence.TestRun;
import dev.bulwark.orchestrator.run.persistence.TesterSession;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Ends runs that no instance runs here and removes ended ones: marks a run cancelled or failed with its open
 * sessions, deletes a run with its outcomes and feedback streams, and every hour purges the runs that ended longer
 * than {@code bulwark.orchestrator.retention} ago.
 */
@ApplicationScoped
public class RunCleanup {

    private final FeedbackStreams feedback;
    private final OrchestratorConfig config;

    RunCleanup(FeedbackStreams feedback, OrchestratorConfig config) {
        this.feedback = feedback;
        this.config = config;
    }

    void delete(TestRun run) {
        List<String> keys = QuarkusTransaction.requiringNew().call(() -> {
            List<String> streams = streamKeys(run.id);
            TestRun.deleteById(run.id);
            return streams;
        });
        feedback.delete(keys);
        Log.infof("Run %s deleted", run.id);
    }

    /** Fails a run in its own transaction and lets its feedback streams expire. */
    void fail(UUID id, String reason) {
        List<String> keys = QuarkusTransaction.requiringNew().call(() -> {
            markEnded(id, TestRun.Status.FAILED, reason);
            return streamKeys(id);
        });
        feedback.expire(keys, config.feedbackRetention());
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        Instant cutoff = Instant.now().minus(config.retention());
        List<TestRun> expired = QuarkusTransaction.requiringNew().call(() ->
                TestRun.<TestRun>list("status != ?1 and finishedAt < ?2", TestRun.Status.RUNNING, cutoff));
        expired.forEach(this::delete);
    }

    /** Ends a running run and its open sessions; the caller holds the transaction. */
    void markEnded(UUID id, TestRun.Status status, String reason) {
        TesterSession.update("status = ?1, message = ?2 where runId = ?3 and status in ?4",
                status == TestRun.Status.CANCELLED ? TesterSession.Status.CANCELLED : TesterSession.Status.FAILED,
                reason, id, List.of(TesterSession.Status.QUEUED, TesterSession.Status.RUNNING));
        TestRun.update("status = ?1, finishedAt = ?2 where id = ?3 and status = ?4", status, Instant.now(), id,
                TestRun.Status.RUNNING);
        RunJob.deleteById(id);
    }

    private static List<String> streamKeys(UUID runId) {
        return TesterSession.<TesterSession>list("runId", runId).stream().map(s -> s.tester).distinct()
                .map(tester -> FeedbackKeys.stream(runId.toString(), tester)).toList();
    }
}
