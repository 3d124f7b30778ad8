package dev.bulwark.workflow.execution.domain;

import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.OrgLock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Executions an organisation may start per minute, over a sliding minute of its executions' start times (all
 * replicas, all triggers, subflows included). Checked under an organisation lock, so concurrent starts cannot
 * overshoot it.
 */
@ApplicationScoped
public class ExecutionQuota {

    static final String KEY = "bulwark.workflow.limits.executions-per-minute";
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final EntityManager em;
    private final OrgLock locks;
    private final int perMinute;

    ExecutionQuota(EntityManager em, OrgLock locks, EngineConfig config) {
        this.em = em;
        this.locks = locks;
        this.perMinute = config.limits().executionsPerMinute();
    }

    /**
     * Returns when the organisation may start one more execution now; {@link LimitExceeded} (429) otherwise. The
     * lock is held until the transaction ends, so the start must be stored in it.
     *
     * @param starting the execution being started when it is stored already (its own start does not count against
     *                 it), or null when checked before it is
     */
    public void acquire(UUID orgId, Instant now, UUID starting) {
        locks.lock(orgId, OrgLock.Purpose.EXECUTION_RATE);
        // Starts this transaction stored (the execution, a parent of a subflow) must be written before counting.
        em.flush();
        // The perMinute-th most recent start within the window: while it exists, the quota is used up until it ages out.
        @SuppressWarnings("unchecked")
        List<Object> oldest = em.createNativeQuery("select started_at from execution where org_id = :org "
                        + "and started_at > :since and id <> :starting order by started_at desc offset :skip limit 1")
                .setParameter("org", orgId)
                .setParameter("since", now.minus(WINDOW))
                .setParameter("starting", starting == null ? new UUID(0, 0) : starting)
                .setParameter("skip", perMinute - 1)
                .getResultList();
        if (!oldest.isEmpty()) {
            Instant freed = toInstant(oldest.get(0)).plus(WINDOW);
            long seconds = (Duration.between(now, freed).toMillis() + 999) / 1000;
            throw LimitExceeded.rate("The organisation started " + perMinute + " executions within the last minute, "
                    + "its quota (" + KEY + "); try again in " + Math.max(1, seconds) + " s", seconds);
        }
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        throw new IllegalStateException("unexpected started_at type " + value.getClass());
    }
}
