package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.orchestrator.job.domain.Job;
import dev.bulwark.orchestrator.job.domain.JobParser;
import dev.bulwark.orchestrator.run.persistence.RunJob;
import dev.bulwark.orchestrator.run.persistence.RunLedger;
import dev.bulwark.orchestrator.run.persistence.TestRun;
import dev.bulwark.orchestrator.run.persistence.TesterSession;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Restarts, on this instance, the runs {@link RunLeases} claimed from instances that stopped. */
@ApplicationScoped
public class RunResumption {

    private final RunService runs;
    private final JobParser parser;
    private final JobSealer sealer;
    private final RunEngine engine;
    private final RunCleanup cleanup;

    RunResumption(RunService runs, JobParser parser, JobSealer sealer, RunEngine engine, RunCleanup cleanup) {
        this.runs = runs;
        this.parser = parser;
        this.sealer = sealer;
        this.engine = engine;
        this.cleanup = cleanup;
    }

    /**
     * Runs, on this instance, a run it just claimed because the instance running it stopped: sessions that ended
     * keep their stored results, the others start again from the sealed job. A run whose job was not kept fails.
     */
    void resume(UUID id) {
        RunEngine.Execution execution;
        try {
            execution = QuarkusTransaction.requiringNew().call(() -> execution(id));
        } catch (RuntimeException e) {
            Log.errorf(e, "Run %s cannot be resumed", id);
            cleanup.fail(id, "the service instance running it stopped and it could not be resumed: "
                    + e.getMessage());
            return;
        }
        if (execution == null) {
            cleanup.fail(id, "the service instance running it stopped, and its job was not kept "
                    + "(bulwark.orchestrator.job-key is not set) to restart it elsewhere");
            return;
        }
        Log.infof("Run %s claimed from a stopped instance: %d session(s) ended, %d to run again", id,
                execution.ended().size(), execution.toRun().size());
        engine.start(execution);
    }

    private RunEngine.Execution execution(UUID id) {
        TestRun run = TestRun.findById(id);
        RunJob sealed = RunJob.findById(id);
        if (run == null || sealed == null || !sealer.available()) {
            return null;
        }
        Job job = parser.parse(sealer.open(id, sealed.sealed));
        List<RunEngine.Planned> toRun = TesterSession.<TesterSession>list("runId = ?1 order by id", id).stream()
                .filter(s -> !s.status.terminal())
                .map(s -> new RunEngine.Planned(runs.tester(s.tester).orElseThrow(
                        () -> new IllegalStateException("unknown tester " + s.tester)), s.sessionId))
                .toList();
        return new RunEngine.Execution(run, job, toRun, RunLedger.endedSessions(id),
                Duration.ofMillis(sealed.sessionTimeoutMs));
    }
}
