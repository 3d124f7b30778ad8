package dev.bulwark.workflow.execution.domain;

import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.OrgLock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Executions an organisation may start per minute, over a sliding minute of per-second counts of its starts (all
 * replicas, all triggers, subflows included). Checked and counted under an organisation lock, so concurrent starts
 * cannot overshoot it. An execute or rerun request counts its start in a short transaction of its own before
 * starting ({@link #counted}), so the lock is held for one statement; a webhook (whose replay record goes with its
 * start), a subflow or a schedule's tick counts with its own transaction ({@link #acquire}).
 */
@ApplicationScoped
public class ExecutionQuota {

    static final String KEY = "bulwark.workflow.limits.executions-per-minute";
    private static final long WINDOW_SECONDS = 60;

    private final EntityManager em;
    private final OrgLock locks;
    private final int perMinute;

    ExecutionQuota(EntityManager em, OrgLock locks, EngineConfig config) {
        this.em = em;
        this.locks = locks;
        this.perMinute = config.limits().executionsPerMinute();
    }

    /**
     * Counts one start of the organisation now, or throws {@link LimitExceeded} (429) when its quota is used up. The
     * lock is held until the transaction ends, and the count goes with the transaction: a start rolled back does not
     * count.
     */
    public void acquire(UUID orgId, Instant now) {
        em.flush();
        count(orgId, now.getEpochSecond());
    }

    /**
     * Counts one start of the organisation (or throws {@link LimitExceeded} 429 before anything runs), then runs
     * {@code start} in a transaction of its own; when the start fails, its count is given back. Called outside any
     * transaction. The count commits without waiting for the disk, so the lock is released at once; a crash of the
     * database may forget the counts of its last moment and allow that many more starts within the minute.
     */
    public <T> T counted(UUID orgId, Supplier<T> start) {
        long second = Instant.now().getEpochSecond();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("select set_config('synchronous_commit', 'off', true)").getSingleResult();
            count(orgId, second);
        });
        try {
            return QuarkusTransaction.requiringNew().call(start::get);
        } catch (RuntimeException e) {
            try {
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update execution_rate "
                                + "set started = started - 1 where org_id = :org and epoch_second = :second and started > 0")
                        .setParameter("org", orgId)
                        .setParameter("second", second)
                        .executeUpdate());
            } catch (RuntimeException refund) {
                e.addSuppressed(refund);
            }
            throw e;
        }
    }

    private void count(UUID orgId, long second) {
        locks.lock(orgId, OrgLock.Purpose.EXECUTION_RATE);
        // One round trip under the lock: the window's count, counting this start when it fits, dropping old seconds.
        Object[] window = (Object[]) em.createNativeQuery("""
                        with window_ as (select coalesce(sum(started), 0) as used, min(epoch_second) as oldest
                                         from execution_rate where org_id = :org and epoch_second > :since),
                        counted as (insert into execution_rate (org_id, epoch_second, started)
                                    select :org, :second, 1 from window_ where used < :quota
                                    on conflict (org_id, epoch_second)
                                    do update set started = execution_rate.started + 1),
                        dropped as (delete from execution_rate where org_id = :org and epoch_second <= :since)
                        select used, oldest from window_""")
                .setParameter("org", orgId)
                .setParameter("since", second - WINDOW_SECONDS)
                .setParameter("second", second)
                .setParameter("quota", perMinute)
                .getSingleResult();
        if (((Number) window[0]).longValue() >= perMinute) {
            long seconds = Math.max(1, ((Number) window[1]).longValue() + WINDOW_SECONDS - second);
            throw LimitExceeded.rate("The organisation started " + perMinute + " executions within the last minute, "
                    + "its quota (" + KEY + "); try again in " + seconds + " s", seconds);
        }
    }
}
