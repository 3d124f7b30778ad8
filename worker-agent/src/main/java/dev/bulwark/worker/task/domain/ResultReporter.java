package dev.bulwark.worker.task.domain;

import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.common.tasks.TaskResult.Status;
import dev.bulwark.common.tasks.TaskResult;
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
import java.util.Optional;

/**
 * Turns how a task ended into its result and posts it with retries (idempotent by task id and attempt), except
 * after a lost lease or a stop, where the lease is left to expire so that workflow-service hands the task out again.
 */
final class ResultReporter {

    /** workflow-service keeps an error message of up to 10 000 characters. */
    private static final int MAX_ERROR_LENGTH = 4000;

    private final WorkflowQueue queue;
    private final AgentMetrics metrics;
    private final Duration resultRetry;

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

    private void post(ClaimedTask task, TaskResult result) {
        Instant start = Instant.now();
        Instant giveUp = start.plus(resultRetry);
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));
        while (true) {
            try {
                queue.result(task, result);
                metrics.resultAccepted(Duration.between(start, Instant.now()));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Log.warnf("task %s attempt %d: stopped before its result was accepted", task.taskId(), task.attempt());
                return;
            } catch (Refused e) {
                Log.warnf("task %s attempt %d execution %s: result refused (%s): the attempt no longer holds the task",
                        task.taskId(), task.attempt(), task.executionId(), e.getMessage());
                return;
            } catch (Unreachable | RuntimeException e) {
                if (Instant.now().isAfter(giveUp)) {
                    Log.errorf("task %s attempt %d execution %s: result not accepted within %s (%s); the lease will "
                            + "expire and the task run again", task.taskId(), task.attempt(), task.executionId(),
                            resultRetry, e.getMessage());
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
}
