package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackKeys;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackOutbox;
import dev.bulwark.orchestrator.job.domain.Job;
import dev.bulwark.orchestrator.outcome.domain.OutcomesArchive.RunSummary;
import dev.bulwark.orchestrator.outcome.domain.OutcomesArchive;
import dev.bulwark.orchestrator.run.persistence.RunLedger;
import dev.bulwark.orchestrator.run.persistence.TestRun;
import dev.bulwark.orchestrator.run.persistence.TesterSession;
import dev.bulwark.orchestrator.tester.domain.Tester;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the tester sessions of the runs this service instance holds (started here, or claimed after the instance
 * running them stopped) on a bounded pool, each session within the configured time, and stops them on cancel. When
 * the last session of a run ends it writes the outcomes archive, announces the end and closes the run. Every write
 * goes through the {@link RunLedger} fenced by this instance's lease: a run this instance lost is
 * {@link #abandon abandoned} without a trace. Each session is a {@link SessionTask}; the session that ends last
 * closes its {@link ActiveRun}.
 */
@ApplicationScoped
public class RunEngine {

    /** Reason given to sessions stopped by a cancel, also the {@code reason} of their {@code failed} event. */
    static final String CANCELLED = "cancelled";

    private final OrchestratorConfig config;
    private final ServiceInstance instance;
    private final RunLedger ledger;
    private final FeedbackOutbox feedback;
    private final OutcomesArchive outcomes;
    private final MeterRegistry metrics;
    private final EgressPolicy egress;
    private final SessionReports reports;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final Map<UUID, ActiveRun> active = new ConcurrentHashMap<>();

    RunEngine(OrchestratorConfig config, ServiceInstance instance, RunLedger ledger, FeedbackOutbox feedback,
              OutcomesArchive outcomes, MeterRegistry metrics, EgressPolicy egress, SessionReports reports) {
        this.config = config;
        this.instance = instance;
        this.ledger = ledger;
        this.egress = egress;
        this.feedback = feedback;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.reports = reports;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(config.testerThreads(), config.testerThreads(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "tester-" + threads.incrementAndGet()));
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "tester-timeouts"));
        metrics.gaugeMapSize("bulwark.orchestrator.runs.active", List.of(), active);
    }

    /** A session to run: which tester, and its session id. */
    public record Planned(Tester tester, String session) {
    }

    /**
     * A run this instance holds: the sessions to run, and the stored results of the sessions that ended under an
     * instance that held the run before.
     */
    public record Execution(TestRun run, Job job, List<Planned> toRun, List<SessionResult> ended, Duration timeout) {
    }

    /** Runs the sessions, each stopped after the execution's timeout; closes the run at once when none is left. */
    public void start(Execution execution) {
        ActiveRun state = new ActiveRun(execution, egress.forOrganisation(execution.run().org));
        active.put(state.id, state);
        if (state.tasks.isEmpty()) {
            state.tryClose();
            return;
        }
        long heartbeat = config.heartbeatInterval().toMillis();
        for (SessionTask task : state.tasks) {
            task.heartbeat = timer.scheduleAtFixedRate(task::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
            pool.execute(task);
        }
    }

    /** The runs this instance is running. */
    public Set<UUID> active() {
        return Set.copyOf(active.keySet());
    }

    /** Stops the sessions of a run of this instance; false when the run is not running here. */
    public boolean cancel(UUID runId) {
        ActiveRun state = active.get(runId);
        if (state == null) {
            return false;
        }
        state.cancelled = true;
        state.tasks.forEach(task -> task.stop(CANCELLED));
        return true;
    }

    /**
     * Stops the sessions of a run this instance no longer holds, writing and announcing nothing: the instance that
     * holds it now runs them again.
     */
    public void abandon(UUID runId, String why) {
        ActiveRun state = active.remove(runId);
        if (state != null) {
            Log.warnf("Run %s is abandoned by this instance: %s", runId, why);
            state.abandoned = true;
            state.tasks.forEach(task -> task.stop("abandoned: " + why));
        }
    }

    /** Stopping: hands every run over to the other instances at once instead of failing it. */
    @PreDestroy
    void shutdown() {
        active.keySet().forEach(id -> abandon(id, "this instance is stopping"));
        pool.shutdownNow();
        timer.shutdownNow();
        try {
            int released = ledger.release(instance.id());
            if (released > 0) {
                Log.infof("Released %d run(s) to the other instances", released);
            }
        } catch (RuntimeException e) {
            Log.warnf("Could not release the runs of this instance (%s); they move when their lease expires",
                    e.getMessage());
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The in-memory state of a running run; its sessions change it under its lock. */
    final class ActiveRun {
        final UUID id;
        final String target;
        final Instant startedAt;
        final Job job;
        final Duration timeout;
        final EgressPolicy egress;
        final List<SessionTask> tasks = new ArrayList<>();
        final Set<String> testers = new LinkedHashSet<>();
        final Map<String, Integer> remainingPerTester = new HashMap<>();
        final List<SessionResult> results = new ArrayList<>();
        int remaining;
        final boolean resumed;
        volatile boolean cancelled;
        volatile boolean abandoned;

        ActiveRun(Execution execution, EgressPolicy egress) {
            this.id = execution.run().id;
            this.egress = egress;
            this.target = execution.run().target;
            this.startedAt = execution.run().createdAt;
            this.job = execution.job();
            this.timeout = execution.timeout();
            this.resumed = execution.run().claims > 0;
            results.addAll(execution.ended());
            execution.ended().forEach(result -> testers.add(result.tester()));
            for (Planned planned : execution.toRun()) {
                tasks.add(new SessionTask(this, planned.tester(), planned.session(), timer, reports,
                        config.requestTimeout()));
                testers.add(planned.tester().name());
                remainingPerTester.merge(planned.tester().name(), 1, Integer::sum);
            }
            remaining = tasks.size();
        }

        /**
         * Gives the run up when what it did cannot be stored: its lease is no longer renewed, so once it expires an
         * instance (this one or another) claims the run and runs its sessions without a stored end again.
         */
        void handOver(String why) {
            abandon(id, why);
        }

        /** Writes the outcomes and ends the run (every session has ended). */
        void tryClose() {
            String status = finalStatus();
            close(status, writeOutcomes(status));
        }

        String finalStatus() {
            if (cancelled) {
                return TestRun.Status.CANCELLED.name();
            }
            boolean anyFinished = results.stream().anyMatch(r -> r.status() == TesterSession.Status.FINISHED);
            return anyFinished ? TestRun.Status.FINISHED.name() : TestRun.Status.FAILED.name();
        }

        byte[] writeOutcomes(String runStatus) {
            try {
                return outcomes.write(new RunSummary(id, target, runStatus, startedAt, Instant.now()), results);
            } catch (RuntimeException e) {
                Log.errorf(e, "The outcomes of run %s could not be written", id);
                return null;
            }
        }

        void close(String status, byte[] archive) {
            active.remove(id);
            if (abandoned || !ledger.close(id, instance.id(), TestRun.Status.valueOf(status), archive)) {
                Log.warnf("Run %s ended here but is held by another instance now: that instance ends it", id);
                return;
            }
            feedback.expire(testers.stream().map(name -> FeedbackKeys.stream(id.toString(), name)).toList(),
                    config.feedbackRetention());
            metrics.counter("bulwark.orchestrator.runs.ended", "status", status).increment();
            Log.infof("Run %s ended %s", id, status);
        }
    }
}
