package dev.bulwark.worker.task.domain;

import dev.bulwark.common.security.ClientCredentialsToken;
import dev.bulwark.common.tasks.ClaimRequest;
import dev.bulwark.common.tasks.ClaimResponse;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.worker.config.WorkerConfig;
import dev.bulwark.worker.task.messaging.Unreachable;
import dev.bulwark.worker.task.messaging.WorkflowQueue;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/**
 * The agent's one claiming thread: long-polls {@code POST /api/v1/queue/claim} for as many tasks as it has free
 * slots, hands them to the {@link TaskRunner}, and backs off (jittered, bounded) while workflow-service is
 * unreachable or answers empty claims at once. An outage is logged when it starts and when it ends, not per retry.
 */
@ApplicationScoped
public class ClaimLoop {

    /** The queue API takes at most this many tasks per claim and this long a wait. */
    private static final int MAX_PER_CLAIM = 100;
    private static final int MAX_WAIT_SECONDS = 30;

    private final WorkflowQueue queue;
    private final TaskRunner runner;
    private final AgentMetrics metrics;
    private final ClientCredentialsToken token;
    private final String environment;
    private final Duration claimWait;
    private final Backoff outage;
    private final Backoff idle;
    private final Duration grace;
    private volatile Thread thread;
    private volatile boolean claiming;
    private volatile String lastError;

    @Inject
    ClaimLoop(WorkflowQueue queue, TaskRunner runner, AgentMetrics metrics, ClientCredentialsToken token, WorkerConfig config) {
        this(queue, runner, metrics, token, config.environment(), config.claimWait(),
                new Backoff(config.backoffMin(), config.backoffMax()), config.shutdownGrace());
    }

    /**
     * @param outage pauses between claims while workflow-service is unreachable, and (a separate one of the same
     *               bounds) after empty answers that did not hold the poll
     */
    public ClaimLoop(WorkflowQueue queue, TaskRunner runner, AgentMetrics metrics, ClientCredentialsToken token, String environment,
                     Duration claimWait, Backoff outage, Duration grace) {
        this.queue = queue;
        this.runner = runner;
        this.metrics = metrics;
        this.token = token;
        this.environment = environment;
        this.claimWait = claimWait;
        this.outage = outage;
        this.idle = outage.copy();
        this.grace = grace;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the claiming thread, unless no credentials are configured. */
    public void start() {
        if (!token.configured()) {
            lastError = "no client credentials: set BULWARK_WORKER_CLIENT_ID and BULWARK_WORKER_CLIENT_SECRET";
            Log.errorf("Not claiming tasks: %s (a service account with role worker)", lastError);
            return;
        }
        claiming = true;
        thread = new Thread(this::loop, "bulwark-claim");
        thread.setDaemon(true);
        thread.start();
        Log.infof("Claiming tasks of environment '%s' as %s with %d slots", environment, token.clientId(),
                runner.concurrency());
    }

    /** Stops claiming and lets running tasks finish within the grace period (see {@link TaskRunner#shutdown}). */
    public void stop() {
        claiming = false;
        Thread claimer = thread;
        if (claimer != null) {
            claimer.interrupt();
            try {
                claimer.join(claimWait.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        runner.shutdown(grace);
        Log.info("Stopped claiming; running tasks are done or left to their lease");
    }

    /** Null while claims succeed; the last failure otherwise. */
    public String lastError() {
        return lastError;
    }

    private void loop() {
        Instant outageSince = null;
        int waitSeconds = (int) Math.min(MAX_WAIT_SECONDS, Math.max(0, claimWait.toSeconds()));
        while (claiming) {
            int slots;
            try {
                slots = runner.acquireSlots();
            } catch (InterruptedException e) {
                return;
            }
            if (slots > MAX_PER_CLAIM) {
                runner.releaseSlots(slots - MAX_PER_CLAIM);
                slots = MAX_PER_CLAIM;
            }
            Instant asked = Instant.now();
            ClaimResponse answer;
            try {
                answer = queue.claim(new ClaimRequest(environment, slots, waitSeconds));
            } catch (InterruptedException e) {
                runner.releaseSlots(slots);
                return;
            } catch (Unreachable | RuntimeException e) {
                runner.releaseSlots(slots);
                metrics.claimLatency(Duration.between(asked, Instant.now()), "error");
                if (!claiming) {
                    return;
                }
                lastError = e.getMessage();
                if (outageSince == null) {
                    outageSince = asked;
                    Log.warnf("Claiming from workflow-service failed (%s); retrying with backoff up to %s",
                            e.getMessage(), outage.max());
                } else {
                    Log.debugf("claim failed again (%s)", e.getMessage());
                }
                if (!pause(outage.next())) {
                    return;
                }
                continue;
            }
            Instant answered = Instant.now();
            Duration took = Duration.between(asked, answered);
            metrics.claimLatency(took, answer.tasks().isEmpty() ? "empty" : "tasks");
            lastError = null;
            if (outageSince != null) {
                Log.infof("workflow-service answers claims again after %d failed attempt(s) in %d s",
                        outage.failures(), Duration.between(outageSince, answered).toSeconds());
                outageSince = null;
                outage.reset();
            }
            int count = Math.min(slots, answer.tasks().size());
            if (answer.tasks().size() > slots) {
                Log.warnf("claim for %d task(s) answered %d; running %d, the others go back when their lease expires",
                        slots, answer.tasks().size(), slots);
            }
            runner.releaseSlots(slots - count);
            metrics.claimed(count);
            for (ClaimedTask task : answer.tasks().subList(0, count)) {
                Log.debugf("claimed task %s attempt %d execution %s (%s.%s)", task.taskId(), task.attempt(),
                        task.executionId(), task.app(), task.action());
                runner.start(task, answered);
            }
            boolean held = !claimWait.isZero() && took.compareTo(claimWait.dividedBy(2)) >= 0;
            if (count > 0 || held) {
                idle.reset();
            } else if (!pause(idle.next())) {
                return;
            }
        }
    }

    /** Sleeps; false when interrupted (the agent is stopping). */
    private static boolean pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
