package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent.Type;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackKeys;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackOutbox;
import dev.bulwark.orchestrator.job.domain.Job;
import dev.bulwark.orchestrator.outcome.domain.OutcomesArchive.RunSummary;
import dev.bulwark.orchestrator.outcome.domain.OutcomesArchive;
import dev.bulwark.orchestrator.run.persistence.RunLedger;
import dev.bulwark.orchestrator.run.persistence.TestRun;
import dev.bulwark.orchestrator.run.persistence.TesterSession;
import dev.bulwark.orchestrator.tester.domain.Finding;
import dev.bulwark.orchestrator.tester.domain.Tester;
import dev.bulwark.orchestrator.tester.domain.TesterContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the tester sessions of the runs this service instance holds (started here, or claimed after the instance
 * running them stopped) on a bounded pool, each session within the configured time, and stops them on cancel. When
 * the last session of a run ends it writes the outcomes archive, announces the end and closes the run. Every write
 * goes through the {@link RunLedger} fenced by this instance's lease: a run this instance lost is
 * {@link #abandon abandoned} without a trace. (Over 300 lines on purpose: a session task, the context its tester
 * reports through and the end of its run share the run's lock and state, which nested classes keep private.)
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
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final Map<UUID, ActiveRun> active = new ConcurrentHashMap<>();

    RunEngine(OrchestratorConfig config, ServiceInstance instance, RunLedger ledger, FeedbackOutbox feedback,
              OutcomesArchive outcomes, MeterRegistry metrics, EgressPolicy egress) {
        this.config = config;
        this.instance = instance;
        this.ledger = ledger;
        this.egress = egress;
        this.feedback = feedback;
        this.outcomes = outcomes;
        this.metrics = metrics;
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

    /** The in-memory state of a running run. */
    private final class ActiveRun {
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
                tasks.add(new SessionTask(this, planned.tester(), planned.session()));
                testers.add(planned.tester().name());
                remainingPerTester.merge(planned.tester().name(), 1, Integer::sum);
            }
            remaining = tasks.size();
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

    /** One tester session: the work on a pool thread and the context the tester reports through. */
    private final class SessionTask implements Runnable, TesterContext {
        private final ActiveRun run;
        private final Tester tester;
        private final String session;
        private final Map<String, Finding> findings = new LinkedHashMap<>();
        private Thread thread;
        private boolean running;
        private boolean ended;
        private volatile ScheduledFuture<?> heartbeat;
        private volatile String lastStep;
        private volatile String stopReason;

        SessionTask(ActiveRun run, Tester tester, String session) {
            this.run = run;
            this.tester = tester;
            this.session = session;
        }

        @Override
        public void run() {
            synchronized (this) {
                thread = Thread.currentThread();
                running = stopReason == null;
            }
            TesterSession.Status status = TesterSession.Status.FINISHED;
            String message = null;
            ScheduledFuture<?> deadline = null;
            try {
                checkStopped();
                updateSession("status", TesterSession.Status.RUNNING.name());
                deadline = timer.schedule(() -> stop("timed out after " + run.timeout), run.timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
                progress("Tester " + tester.name() + " started session " + session + (run.resumed
                        ? " again, on another service instance: the one running it stopped" : ""));
                tester.run(run.job, session, this);
            } catch (InterruptedException e) {
                status = stoppedStatus();
                message = stopReason == null ? "interrupted" : stopReason;
            } catch (Exception e) {
                // a tester stopped mid-request may fail with an I/O error rather than an InterruptedException
                status = stopReason == null ? TesterSession.Status.FAILED : stoppedStatus();
                message = stopReason != null ? stopReason : describe(e);
                if (stopReason == null) {
                    Log.warnf("Tester %s session %s of run %s failed: %s", tester.name(), session, run.id, message);
                }
            } finally {
                if (deadline != null) {
                    deadline.cancel(false);
                }
                synchronized (this) {
                    running = false;
                    ended = true;
                    Thread.interrupted();
                }
                heartbeat.cancel(false);
            }
            complete(status, message);
        }

        /**
         * Tells followers the session is alive while it runs or waits for a thread, so clients that give up after
         * a while without events (the purpleteam CLI's long poll) keep following a slow session. Published under
         * the task's lock with the {@code ended} check, so no heartbeat can follow the session's terminal event.
         */
        synchronized void heartbeat() {
            if (ended || run.abandoned) {
                return;
            }
            String state = running ? "is running" + (lastStep == null ? "" : "; last step: " + lastStep)
                    : "is waiting for a free tester thread";
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("message", "Session " + session + " of tester " + tester.name() + " " + state);
            data.put("heartbeat", true);
            publish(Type.progress, data);
        }

        private TesterSession.Status stoppedStatus() {
            return CANCELLED.equals(stopReason) ? TesterSession.Status.CANCELLED : TesterSession.Status.FAILED;
        }

        synchronized void stop(String reason) {
            if (stopReason == null) {
                stopReason = reason;
            }
            if (running && thread != null) {
                thread.interrupt();
            }
        }

        private void complete(TesterSession.Status status, String message) {
            if (run.abandoned) {
                return;
            }
            List<Finding> found;
            synchronized (findings) {
                found = List.copyOf(findings.values());
            }
            found.forEach(f -> metrics.counter("bulwark.orchestrator.findings", "tester", tester.name(),
                    "severity", f.severity().name()).increment());
            SessionResult result = new SessionResult(tester.name(), session, status, message, found);
            boolean runDone;
            String runStatus;
            byte[] archive = null;
            CompletableFuture<FeedbackEvent> announced = null;
            try {
                synchronized (run) {
                    run.results.add(result);
                    run.remaining--;
                    int testerLeft = run.remainingPerTester.merge(tester.name(), -1, Integer::sum);
                    runDone = run.remaining == 0;
                    runStatus = runDone ? run.finalStatus() : null;
                    if (runDone) {
                        archive = run.writeOutcomes(runStatus);
                    }
                    Map<String, Object> data = new LinkedHashMap<>();
                    if (status == TesterSession.Status.FINISHED) {
                        data.put("findings", found.size());
                    } else {
                        data.put("reason", message);
                    }
                    data.put("testerDone", testerLeft == 0);
                    data.put("runDone", runDone);
                    try {
                        announced = publish(status == TesterSession.Status.FINISHED ? Type.finished : Type.failed,
                                data);
                    } catch (RuntimeException e) {
                        Log.errorf(e, "The end of session %s/%s of run %s could not be announced", tester.name(),
                                session, run.id);
                    }
                }
                if (announced != null) {
                    awaitAnnounced(announced);
                }
            } finally {
                if (!ledger.endSession(run.id, instance.id(), result)) {
                    Log.warnf("Session %s/%s of run %s ended here, but another instance holds the run now",
                            tester.name(), session, run.id);
                }
            }
            if (runDone) {
                run.close(runStatus, archive);
            }
        }

        /**
         * Waits until the terminal event is in the stream (Redis may be away for a while): a session is only marked
         * ended once followers can read its end, since they stop at the stored end of a tester.
         */
        private void awaitAnnounced(CompletableFuture<FeedbackEvent> announced) {
            try {
                announced.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Log.warnf("Stopped waiting for the end of session %s/%s of run %s to be announced", tester.name(),
                        session, run.id);
            } catch (ExecutionException e) {
                // the run must still end; clients that connect later learn it from the stored state
                Log.errorf(e.getCause(), "The end of session %s/%s of run %s could not be announced", tester.name(),
                        session, run.id);
            }
        }

        @Override
        public void progress(String message) {
            lastStep = message;
            publish(Type.progress, Map.of("message", message));
        }

        @Override
        public void pctComplete(int pct) {
            int bounded = Math.max(0, Math.min(100, pct));
            publish(Type.pctComplete, Map.of("pctComplete", bounded));
            updateSession("pct_complete", bounded);
        }

        @Override
        public void finding(Finding finding) {
            int count;
            synchronized (findings) {
                if (findings.putIfAbsent(finding.kind() + " " + finding.location(), finding) != null) {
                    return;
                }
                count = findings.size();
            }
            publish(Type.findingCount, Map.of("findingCount", count));
            updateSession("findings", count);
        }

        @Override
        public void checkStopped() throws InterruptedException {
            if (stopReason != null || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(stopReason == null ? "interrupted" : stopReason);
            }
        }

        @Override
        public Duration requestTimeout() {
            return config.requestTimeout();
        }

        @Override
        public List<InetAddress> checkEgress(URI uri) {
            return run.egress.check(uri);
        }

        @Override
        public long maxResponseBody() {
            return run.egress.maxBody();
        }

        private CompletableFuture<FeedbackEvent> publish(Type type, Map<String, Object> data) {
            metrics.counter("bulwark.orchestrator.feedback.events", "type", type.name()).increment();
            return feedback.publish(new FeedbackEvent(null, run.id.toString(), tester.name(), session, type,
                    Instant.now(), data));
        }

        private void updateSession(String column, Object value) {
            if (!run.abandoned) {
                ledger.sessionState(run.id, instance.id(), tester.name(), session, column, value);
            }
        }
    }

    private static String describe(Exception e) {
        String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
        return clip(e.getClass().getSimpleName() + detail, 1000);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
