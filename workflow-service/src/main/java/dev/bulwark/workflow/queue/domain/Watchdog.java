package dev.bulwark.workflow.queue.domain;

import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.common.error.DatabaseUnavailable;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Loses no task and fails none wrongly: a task whose lease expired goes back to the queue until it has been claimed
 * {@code max-attempts} times, then it ends as a FAILURE reported to its {@link TaskOwner}. Every step re-checks under
 * a row lock, so any number of replicas can run it side by side. Idle and old executions are the execution feature's
 * ({@code ExecutionWatchdog}).
 */
@ApplicationScoped
public class Watchdog {

    private static final int BATCH = 200;

    private final EntityManager em;
    private final TaskOwner owner;
    private final TaskSignal signal;
    private final EngineConfig config;

    Watchdog(EntityManager em, TaskOwner owner, TaskSignal signal, EngineConfig config) {
        this.em = em;
        this.owner = owner;
        this.signal = signal;
        this.config = config;
    }

    @Scheduled(every = "${bulwark.workflow.execution.watchdog-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            int requeued = expireLeases();
            if (requeued > 0) {
                Log.infof("Watchdog: %d expired leases handled", requeued);
            }
        } catch (RuntimeException e) {
            if (!DatabaseUnavailable.causes(e)) {
                throw e;
            }
            Log.warn("Watchdog skipped a round: the database is unavailable");
        }
    }

    /** Re-queues or fails tasks whose lease expired; returns how many it looked at. */
    public int expireLeases() {
        List<UUID> expired = QuarkusTransaction.requiringNew().call(() -> Task.<Task>find(
                "status = ?1 and leaseExpiresAt < ?2", Task.Status.RUNNING, Instant.now()).page(0, BATCH).list()
                .stream().map(t -> t.id).toList());
        for (UUID id : expired) {
            QuarkusTransaction.requiringNew().run(() -> expire(id));
        }
        return expired.size();
    }

    private void expire(UUID taskId) {
        Task task = Task.findById(taskId);
        if (task == null) {
            return;
        }
        owner.lock(task.executionId);
        em.refresh(task, LockModeType.PESSIMISTIC_WRITE);
        if (task.status != Task.Status.RUNNING || task.leaseExpiresAt == null
                || task.leaseExpiresAt.isAfter(Instant.now())) {
            return;
        }
        task.leaseExpiresAt = null;
        if (task.attempt < config.queue().maxAttempts()) {
            Log.infof("Task %s (execution %s, action %s) lost its lease on attempt %d: back in the queue", task.id,
                    task.executionId, task.actionId, task.attempt);
            task.status = Task.Status.QUEUED;
            signal.afterCommit();
        } else {
            Log.warnf("Task %s (execution %s, action %s) lost its lease %d times: the action fails", task.id,
                    task.executionId, task.actionId, task.attempt);
            task.status = Task.Status.DONE;
            task.resultStatus = Task.Outcome.FAILURE;
            task.error = "no agent reported a result: the lease expired on all " + task.attempt + " attempts";
            task.finishedAt = Instant.now();
            owner.ended(task);
        }
    }
}
