package dev.bulwark.workflow.queue.domain;

import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.database.domain.DatabaseUnavailable;
import dev.bulwark.workflow.execution.domain.Engine;
import dev.bulwark.workflow.execution.domain.Execution;
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
 * Leaves no execution stuck and finishes none wrongly. A task whose lease expired goes back to the queue until it
 * has been claimed {@code max-attempts} times, then fails its action. An active execution idle for
 * {@code stuck-after} with no queued or running task is settled by the engine (which ends it when nothing can run).
 * Finished executions older than {@code retention} are deleted. Every step re-checks under a row lock, so any
 * number of replicas can run it side by side.
 */
@ApplicationScoped
public class Watchdog {

    private static final int BATCH = 200;

    private final EntityManager em;
    private final Engine engine;
    private final TaskSignal signal;
    private final EngineConfig config;

    Watchdog(EntityManager em, Engine engine, TaskSignal signal, EngineConfig config) {
        this.em = em;
        this.engine = engine;
        this.signal = signal;
        this.config = config;
    }

    @Scheduled(every = "${bulwark.workflow.execution.watchdog-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            int requeued = expireLeases();
            int settled = settleIdle();
            int deleted = deleteExpired();
            if (requeued + settled + deleted > 0) {
                Log.infof("Watchdog: %d expired leases handled, %d idle executions settled, %d old executions deleted",
                        requeued, settled, deleted);
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
        Execution execution = engine.lock(task.executionId);
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
            engine.taskFinished(execution, task);
        }
    }

    /** Settles idle active executions with no queued or running task; returns how many. */
    public int settleIdle() {
        Instant before = Instant.now().minus(config.execution().stuckAfter());
        List<UUID> idle = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "select e.id from Execution e where e.status in ?1 and e.updatedAt < ?2 and not exists "
                                + "(select 1 from Task t where t.executionId = e.id and t.status in ?3)", UUID.class)
                .setParameter(1, List.of(Execution.Status.EXECUTING, Execution.Status.WAITING))
                .setParameter(2, before)
                .setParameter(3, List.of(Task.Status.QUEUED, Task.Status.RUNNING))
                .setMaxResults(BATCH).getResultList());
        for (UUID id : idle) {
            QuarkusTransaction.requiringNew().run(() -> {
                Execution execution = engine.lock(id);
                if (execution != null && !execution.status.terminal() && execution.updatedAt.isBefore(before)) {
                    Log.infof("Execution %s was idle since %s: settling it", id, execution.updatedAt);
                    engine.reconcile(execution);
                    execution.updatedAt = Instant.now();
                }
            });
        }
        return idle.size();
    }

    /** Deletes finished executions past the retention period (a batch at a time); returns how many. */
    public int deleteExpired() {
        Instant before = Instant.now().minus(config.execution().retention());
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "delete from execution where id in (select id from execution where finished_at < ?1 limit ?2)")
                .setParameter(1, before).setParameter(2, 1000).executeUpdate());
    }
}
