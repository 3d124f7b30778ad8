package dev.bulwark.workflow.execution.domain;

import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.OrgLock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Executions an organisation may start per minute, over a sliding minute of per-second counts of its starts (all
 * replicas, all triggers, subflows included). Checked and counted under an organisation lock by the database function
 * {@code count_execution_start} (one round trip), so concurrent starts cannot overshoot it. An execute or rerun
 * request counts its start in a statement of its own before starting ({@link #counted}), so the lock is held while
 * that statement runs; a webhook (whose replay record goes with its start), a subflow or a schedule's tick counts
 * within its own transaction ({@link #acquire}).
 */
@ApplicationScoped
public class ExecutionQuota {

    static final String KEY = "bulwark.workflow.limits.executions-per-minute";
    private static final long WINDOW_SECONDS = 60;
    private static final String COUNT = "select used, oldest "
            + "from count_execution_start(:org, :lockClass, :lockKey, :second, :window, :quota)";
    /** Its own transaction, committed without waiting for the disk: the lock is released at once. */
    private static final String COUNT_ALONE = "select c.used, c.oldest, set_config('synchronous_commit', 'off', true) "
            + "from count_execution_start(?, ?, ?, ?, ?, ?) c";
    private static final String REFUND = "update execution_rate set started = started - 1 "
            + "where org_id = ? and epoch_second = ? and started > 0";

    private final EntityManager em;
    private final DataSource dataSource;
    private final int perMinute;

    ExecutionQuota(EntityManager em, DataSource dataSource, EngineConfig config) {
        this.em = em;
        this.dataSource = dataSource;
        this.perMinute = config.limits().executionsPerMinute();
    }

    /**
     * Counts one start of the organisation now, or throws {@link LimitExceeded} (429) when its quota is used up. The
     * lock is held until the transaction ends, and the count goes with the transaction: a start rolled back does not
     * count.
     */
    public void acquire(UUID orgId, Instant now) {
        em.flush();
        long second = now.getEpochSecond();
        OrgLock.Key lock = OrgLock.key(orgId, OrgLock.Purpose.EXECUTION_RATE);
        Object[] window = (Object[]) em.createNativeQuery(COUNT)
                .setParameter("org", orgId)
                .setParameter("lockClass", lock.purpose())
                .setParameter("lockKey", lock.org())
                .setParameter("second", second)
                .setParameter("window", WINDOW_SECONDS)
                .setParameter("quota", perMinute)
                .getSingleResult();
        refuseWhenFull(((Number) window[0]).longValue(), (Number) window[1], second);
    }

    /**
     * Counts one start of the organisation (or throws {@link LimitExceeded} 429 before anything runs), then runs
     * {@code start} in a transaction of its own; when the start fails, its count is given back. Called outside any
     * transaction. The count is one statement in a transaction of its own that commits without waiting for the disk,
     * so the lock is released at once; a crash of the database may forget the counts of its last moment and allow
     * that many more starts within the minute.
     */
    public <T> T counted(UUID orgId, Supplier<T> start) {
        long second = Instant.now().getEpochSecond();
        countAlone(orgId, second);
        try {
            return QuarkusTransaction.requiringNew().call(start::get);
        } catch (RuntimeException e) {
            try {
                refund(orgId, second);
            } catch (SQLException refund) {
                e.addSuppressed(refund);
            }
            throw e;
        }
    }

    private void countAlone(UUID orgId, long second) {
        OrgLock.Key lock = OrgLock.key(orgId, OrgLock.Purpose.EXECUTION_RATE);
        long used;
        Number oldest;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement(COUNT_ALONE)) {
            count.setObject(1, orgId);
            count.setInt(2, lock.purpose());
            count.setInt(3, lock.org());
            count.setLong(4, second);
            count.setLong(5, WINDOW_SECONDS);
            count.setInt(6, perMinute);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                used = rs.getLong(1);
                oldest = (Number) rs.getObject(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Counting an execution against the organisation's quota failed", e);
        }
        refuseWhenFull(used, oldest, second);
    }

    private void refund(UUID orgId, long second) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement refund = connection.prepareStatement(REFUND)) {
            refund.setObject(1, orgId);
            refund.setLong(2, second);
            refund.executeUpdate();
        }
    }

    private void refuseWhenFull(long used, Number oldest, long second) {
        if (used >= perMinute) {
            // No count in the window at all (a quota of 0): a whole window.
            long seconds = oldest == null ? WINDOW_SECONDS : Math.max(1, oldest.longValue() + WINDOW_SECONDS - second);
            throw LimitExceeded.rate("The organisation started " + perMinute + " executions within the last minute, "
                    + "its quota (" + KEY + "); try again in " + seconds + " s", seconds);
        }
    }
}
