package dev.bulwark.worker.task.domain;

import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.common.tasks.TaskResult.Status;
import dev.bulwark.common.tasks.TaskResult;
import dev.bulwark.common.tasks.TaskResults;
import dev.bulwark.common.tasks.TaskResultsResponse;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.ActionResult;
import dev.bulwark.worker.action.domain.RunControl;
import dev.bulwark.worker.action.domain.RunControl.Cancel;
import dev.bulwark.worker.task.domain.AgentMetrics.Outcome;
import dev.bulwark.worker.task.messaging.Refused;
import dev.bulwark.worker.task.messaging.Unreachable;
import dev.bulwark.worker.task.messaging.WorkflowQueue;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Turns how a task ended into its result and posts it with retries (idempotent by task id and attempt), together with
 * the results of other tasks that ended meanwhile, except after a lost lease or a stop, where the lease is left to
 * expire so that workflow-service hands the task out again.
 */
final class ResultReporter {

    /** workflow-service keeps an error message of up to 10 000 characters. */
    private static final int MAX_ERROR_LENGTH = 4000;

    /** Results posted in one call at most; with {@link #MAX_BATCHED_BYTES} a call stays far below the body limit. */
    private static final int MAX_BATCH = 32;
    private static final int MAX_BATCHED_BYTES = 32 * 1024;

    private final WorkflowQueue queue;
    private final AgentMetrics metrics;
    private final Duration resultRetry;
    private final Object lock = new Object();
    private final Deque<Pending> pending = new ArrayDeque<>();
    /** Whether a call is in flight; guarded by {@link #lock}. */
    private boolean posting;

    ResultReporter(WorkflowQueue queue, AgentMetrics metrics, Duration resultRetry) {
        this.queue = queue;
        this.metrics = metrics;
        this.resultRetry = resultRetry;
    }

    void report(ClaimedTask task, RunControl control, Duration timeout, ActionResult result, ActionFailed failure,
                Duration took) {
        Optional<Cancel> cancelled = control.cancelled();
        if (result == null && cancelled.filter(c -> c != Cancel.TIMEOUT).isPresent()) {
            Outcome outcome = cancelled.get() == Cancel.LEASE_LOST ? Outcome.LEASE_LOST : Outcome.ABANDONED;
            Log.infof("task %s attempt %d execution %s: stopped (%s), no result posted; workflow-service hands it "
                    + "out again once its lease expires", task.taskId(), task.attempt(), task.executionId(), outcome);
            metrics.finished(task.app(), outcome, took);
            return;
        }
        TaskResult posted;
        Outcome outcome;
        if (result != null) {
            posted = new TaskResult(task.attempt(), Status.SUCCESS, result.output(), null, result.log());
            outcome = Outcome.SUCCEEDED;
        } else if (cancelled.isPresent()) {
            posted = new TaskResult(task.attempt(), Status.FAILURE, null,
                    "timed out after " + timeout.toSeconds() + " s", null);
            outcome = Outcome.TIMED_OUT;
        } else if (failure != null) {
            posted = new TaskResult(task.attempt(), Status.FAILURE, null, capped(failure.getMessage()), failure.log());
            outcome = Outcome.FAILED;
        } else {
            Log.warnf("task %s attempt %d execution %s: interrupted without a cause; left to lease expiry",
                    task.taskId(), task.attempt(), task.executionId());
            metrics.finished(task.app(), Outcome.ABANDONED, took);
            return;
        }
        metrics.finished(task.app(), outcome, took);
        Log.debugf("task %s attempt %d execution %s: %s in %d ms", task.taskId(), task.attempt(), task.executionId(),
                outcome, took.toMillis());
        post(task, posted);
    }

    private static String capped(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    /**
     * Posts the result together with those other tasks finished meanwhile: while one call is in flight the next
     * results gather, and the thread whose result is first in line posts them all in the next call (no added
     * latency when the agent is idle, one call for many when it is busy). Every caller returns once its own result
     * is accepted, refused or given up, so its task's slot stays taken until then. A large result goes alone.
     */
    private void post(ClaimedTask task, TaskResult result) {
        if (queue.size(result) > MAX_BATCHED_BYTES) {
            postAlone(new Pending(task, result));
            return;
        }
        Pending mine = new Pending(task, result);
        synchronized (lock) {
            pending.add(mine);
        }
        try {
            while (true) {
                List<Pending> batch = new ArrayList<>();
                synchronized (lock) {
                    while (posting && !mine.done) {
                        lock.wait();
                    }
                    if (mine.done) {
                        return;
                    }
                    posting = true;
                    while (!pending.isEmpty() && batch.size() < MAX_BATCH) {
                        batch.add(pending.poll());
                    }
                }
                try {
                    postTogether(batch);
                } finally {
                    synchronized (lock) {
                        // What this call did not settle (it was interrupted) goes back to the front of the line.
                        for (int i = batch.size() - 1; i >= 0; i--) {
                            if (!batch.get(i).done) {
                                pending.addFirst(batch.get(i));
                            }
                        }
                        posting = false;
                        lock.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (lock) {
                pending.remove(mine);
            }
            Log.warnf("task %s attempt %d: stopped before its result was accepted", task.taskId(), task.attempt());
        }
    }

    /** Retries until each result is accepted, refused or past its retry time. */
    private void postTogether(List<Pending> batch) throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));
        List<Pending> left = batch;
        while (!left.isEmpty()) {
            try {
                List<TaskResultsResponse.Outcome> outcomes = queue.results(left.stream()
                        .map(p -> new TaskResults.Item(p.task.taskId(), p.result)).toList());
                for (int i = 0; i < left.size(); i++) {
                    settled(left.get(i), outcomes.get(i));
                }
                return;
            } catch (Refused e) {
                // The call as a whole was refused (its size, say): each result on its own then.
                for (Pending p : left) {
                    postAlone(p);
                }
                return;
            } catch (Unreachable | RuntimeException e) {
                List<Pending> retry = new ArrayList<>();
                for (Pending p : left) {
                    if (Instant.now().isAfter(p.giveUp)) {
                        gaveUp(p, e);
                    } else {
                        retry.add(p);
                    }
                }
                left = retry;
                if (!left.isEmpty()) {
                    if (backoff.failures() == 0) {
                        Log.warnf("posting %d result(s) failed (%s); retrying", left.size(), e.getMessage());
                    }
                    Thread.sleep(backoff.next().toMillis());
                }
            }
        }
    }

    private void settled(Pending p, TaskResultsResponse.Outcome outcome) {
        if (outcome.status() == TaskResultsResponse.Outcome.Status.RECORDED) {
            metrics.resultAccepted(Duration.between(p.start, Instant.now()));
        } else {
            Log.warnf("task %s attempt %d execution %s: result refused (%s): the attempt no longer holds the task",
                    p.task.taskId(), p.task.attempt(), p.task.executionId(),
                    outcome.status() + ": " + outcome.detail());
        }
        p.done = true;
    }

    private void gaveUp(Pending p, Exception e) {
        Log.errorf("task %s attempt %d execution %s: result not accepted within %s (%s); the lease will expire and "
                + "the task run again", p.task.taskId(), p.task.attempt(), p.task.executionId(), resultRetry,
                e.getMessage());
        p.done = true;
    }

    private void postAlone(Pending p) {
        ClaimedTask task = p.task;
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));
        while (true) {
            try {
                queue.result(task, p.result);
                metrics.resultAccepted(Duration.between(p.start, Instant.now()));
                p.done = true;
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Log.warnf("task %s attempt %d: stopped before its result was accepted", task.taskId(), task.attempt());
                return;
            } catch (Refused e) {
                Log.warnf("task %s attempt %d execution %s: result refused (%s): the attempt no longer holds the task",
                        task.taskId(), task.attempt(), task.executionId(), e.getMessage());
                p.done = true;
                return;
            } catch (Unreachable | RuntimeException e) {
                if (Instant.now().isAfter(p.giveUp)) {
                    gaveUp(p, e);
                    return;
                }
                if (backoff.failures() == 0) {
                    Log.warnf("task %s attempt %d execution %s: posting the result failed (%s); retrying",
                            task.taskId(), task.attempt(), task.executionId(), e.getMessage());
                }
                try {
                    Thread.sleep(backoff.next().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    Log.warnf("task %s attempt %d: stopped before its result was accepted", task.taskId(), task.attempt());
                    return;
                }
            }
        }
    }

    /** A result waiting to be accepted; {@code done} is guarded by the reporter's lock once queued. */
    private final class Pending {
        private final ClaimedTask task;
        private final TaskResult result;
        private final Instant start = Instant.now();
        private final Instant giveUp = start.plus(resultRetry);
        private volatile boolean done;

        private Pending(ClaimedTask task, TaskResult result) {
            this.task = task;
            this.result = result;
        }
    }
}
