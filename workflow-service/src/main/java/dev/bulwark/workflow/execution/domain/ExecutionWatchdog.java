package dev.bulwark.workflow.execution.domain;

import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.common.error.DatabaseUnavailable;
import dev.bulwark.workflow.queue.domain.Task;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Leaves no execution stuck: an active execution idle for {@code stuck-after} with no queued or running task is
 * settled by the engine (which ends it when nothing can run). Finished executions older than {@code retention} are
 * deleted. Every step re-checks under a row lock, so any number of replicas can run it side by side. Expired task
 * leases are the queue's ({@code queue.domain.Watchdog}).
 */
@ApplicationScoped
public class ExecutionWatchdog {

    private static final int BATCH = 200;

    private final EntityManager em;
    private final Engine engine;
    private final EngineConfig config;

    ExecutionWatchdog(EntityManager em, Engine engine, EngineConfig config) {
        this.em = em;
        this.engine = engine;
        this.config = config;
    }

    @Scheduled(every = "${bulwark.workflow.execution.watchdog-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            int settled = settleIdle();
            int deleted = deleteExpired();
            if (settled + deleted > 0) {
                Log.infof("Watchdog: %d idle executions settled, %d old executions deleted", settled, deleted);
            }
        } catch (RuntimeException e) {
            if (!DatabaseUnavailable.causes(e)) {
                throw e;
            }
            Log.warn("Execution watchdog skipped a round: the database is unavailable");
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
