package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.common.error.DatabaseUnavailable;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent.Type;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent;
import dev.bulwark.orchestrator.run.domain.RunEngine.ActiveRun;
import dev.bulwark.orchestrator.run.persistence.TesterSession;
import dev.bulwark.orchestrator.tester.domain.Finding;
import dev.bulwark.orchestrator.tester.domain.Tester;
import dev.bulwark.orchestrator.tester.domain.TesterContext;
import io.quarkus.logging.Log;
import jakarta.persistence.PersistenceException;
import java.net.InetAddress;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One tester session of a run {@link RunEngine} holds: the work on a pool thread, stopped on cancel or after the run's
 * timeout, and the context the tester reports through. The session that ends last closes its run.
 */
final class SessionTask implements Runnable, TesterContext {
    private final ActiveRun run;
    private final Tester tester;
    private final String session;
    private final ScheduledExecutorService timer;
    private final SessionReports reports;
    private final Duration requestTimeout;
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private Thread thread;
    private boolean running;
    private boolean ended;
    volatile ScheduledFuture<?> heartbeat;
    private volatile String lastStep;
    private volatile String stopReason;

    SessionTask(ActiveRun run, Tester tester, String session, ScheduledExecutorService timer, SessionReports reports,
                Duration requestTimeout) {
        this.run = run;
        this.tester = tester;
        this.session = session;
        this.timer = timer;
        this.reports = reports;
        this.requestTimeout = requestTimeout;
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
            if (stopReason == null && databaseFailed(e)) {
                // our own database failed, not the tester: the run goes to whichever instance claims it next
                run.handOver("its database connection failed: " + describe(e));
                return;
            }
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
        return RunEngine.CANCELLED.equals(stopReason) ? TesterSession.Status.CANCELLED : TesterSession.Status.FAILED;
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
        reports.countFindings(tester.name(), found);
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
            try {
                if (!reports.end(run.id, result)) {
                    Log.warnf("Session %s/%s of run %s ended here, but another instance holds the run now",
                            tester.name(), session, run.id);
                }
            } catch (RuntimeException e) {
                // unstored, the session runs again under whichever instance claims the run once its lease expires
                run.handOver("the end of session " + tester.name() + "/" + session + " could not be stored: "
                        + describe(e));
                return;
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

    /**
     * Whether the session failed because this service's own database went away, not the tester or its target (an
     * unreachable target also ends in a ConnectException, but not inside a database call).
     */
    private static boolean databaseFailed(Exception e) {
        if (!DatabaseUnavailable.causes(e)) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof PersistenceException) {
                return true;
            }
        }
        return false;
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
        return requestTimeout;
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
        return reports.publish(run.id, tester.name(), session, type, data);
    }

    private void updateSession(String column, Object value) {
        if (!run.abandoned) {
            reports.state(run.id, tester.name(), session, column, value);
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
