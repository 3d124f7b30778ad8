package dev.bulwark.workflow.execution.domain;

import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.OrgLock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.UUID;

/**
 * Executions an organisation may start per minute, over a sliding minute of per-second counts of its starts (all
 * replicas, all triggers, subflows included). Checked and counted under an organisation lock, so concurrent starts
 * cannot overshoot it; the lock is taken only once the start's own rows are written, so it is held for the check
 * and the commit only.
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
        locks.lock(orgId, OrgLock.Purpose.EXECUTION_RATE);
        long second = now.getEpochSecond();
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
