package dev.bulwark.worker.task.domain;

import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.worker.action.domain.RunControl;
import dev.bulwark.worker.action.domain.RunControl.Cancel;
import dev.bulwark.worker.task.messaging.Refused;
import dev.bulwark.worker.task.messaging.Unreachable;
import dev.bulwark.worker.task.messaging.WorkflowQueue;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Renews the leases of running tasks by heartbeat, every third of a lease's length, and cancels a task's action
 * when its lease is lost: a refused heartbeat, or none accepted before the lease ran out.
 */
final class Heartbeats {

    private final WorkflowQueue queue;
    private final ScheduledExecutorService scheduler;

    Heartbeats(WorkflowQueue queue, ScheduledExecutorService scheduler) {
        this.queue = queue;
        this.scheduler = scheduler;
    }

    /** Renews the task's lease until the returned future is cancelled. */
    ScheduledFuture<?> renew(ClaimedTask task, Lease lease, RunControl control) {
        Duration beat = lease.heartbeat();
        return scheduler.scheduleWithFixedDelay(() -> heartbeat(task, lease, control),
                beat.toMillis(), beat.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void heartbeat(ClaimedTask task, Lease lease, RunControl control) {
        try {
            lease.renewed(Instant.now(), queue.heartbeat(task));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Refused e) {
            if (control.cancel(Cancel.LEASE_LOST)) {
                Log.warnf("task %s attempt %d execution %s: lease lost (heartbeat answered %s); cancelling",
                        task.taskId(), task.attempt(), task.executionId(), e.getMessage());
            }
        } catch (Unreachable | RuntimeException e) {
            if (!lease.heldAt(Instant.now()) && control.cancel(Cancel.LEASE_LOST)) {
                Log.warnf("task %s attempt %d execution %s: lease ran out without a renewal (%s); cancelling",
                        task.taskId(), task.attempt(), task.executionId(), e.getMessage());
            } else {
                Log.debugf("task %s attempt %d: heartbeat failed (%s); retrying", task.taskId(), task.attempt(),
                        e.getMessage());
            }
        }
    }

    void shutdown() {
        scheduler.shutdownNow();
    }
}
