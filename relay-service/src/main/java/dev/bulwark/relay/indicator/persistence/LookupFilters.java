package dev.bulwark.relay.indicator.persistence;

import com.google.common.net.InetAddresses;
import dev.bulwark.relay.config.RelayConfig;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Each organisation's {@link LookupFilter}, built on first use by one background thread (lookups go to the table
 * alone until it is ready), and built again when a lookup found that indicators were added since (the version it
 * reads in its own statement differs), at most once per {@code bulwark.relay.lookup-filter.rebuild-after}. The
 * filters together hold at most {@code bulwark.relay.lookup-filter.max-indicators} indicators.
 */
@ApplicationScoped
public class LookupFilters {

    /** The version the lookup statement compares with the filter's: see V3__indicator_change.sql. */
    static final String VERSION = "select coalesce(sum(weight), 0) as version from indicator_change where org_id = ?";

    private final DataSource dataSource;
    private final long maxIndicators;
    private final Duration rebuildAfter;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong held = new AtomicLong();
    private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "lookup-filter-builder");
        thread.setDaemon(true);
        return thread;
    });

    LookupFilters(DataSource dataSource, RelayConfig config) {
        this.dataSource = dataSource;
        this.maxIndicators = config.lookupFilter().maxIndicators();
        this.rebuildAfter = config.lookupFilter().rebuildAfter();
    }

    /** One organisation's filter and what is known about it. */
    private static final class Slot {
        volatile LookupFilter filter;
        volatile boolean stale = true;
        boolean building;
        long lastBuild = Long.MIN_VALUE;
    }

    /** The organisation's filter when one is ready and not known to be outdated; else null (and one is built). */
    LookupFilter current(String org) {
        if (maxIndicators <= 0) {
            return null;
        }
        Slot slot = slots.computeIfAbsent(org, o -> new Slot());
        LookupFilter filter = slot.filter;
        if (filter != null && !slot.stale) {
            return filter;
        }
        build(org, slot);
        return null;
    }

    /** A lookup read another version than {@code filter}'s: until rebuilt, the organisation goes without one. */
    void outdated(String org, LookupFilter filter) {
        Slot slot = slots.get(org);
        if (slot != null && slot.filter == filter) {
            slot.stale = true;
            build(org, slot);
        }
    }

    /** Whether the organisation's filter is ready and current as far as this replica knows (for the benchmark). */
    public boolean ready(String org) {
        Slot slot = slots.get(org);
        return slot != null && slot.filter != null && !slot.stale;
    }

    private void build(String org, Slot slot) {
        synchronized (slot) {
            long now = System.nanoTime();
            if (slot.building || (slot.lastBuild != Long.MIN_VALUE && now - slot.lastBuild < rebuildAfter.toNanos())) {
                return;
            }
            slot.building = true;
            slot.lastBuild = now;
        }
        builder.execute(() -> {
            try {
                LookupFilter previous = slot.filter;
                long budget = maxIndicators - held.get() + (previous == null ? 0 : previous.size());
                LookupFilter filter = load(org, budget);
                held.addAndGet((filter == null ? 0 : filter.size()) - (previous == null ? 0 : previous.size()));
                slot.filter = filter;
                slot.stale = filter == null;
            } catch (SQLException | RuntimeException e) {
                Log.warnf("The lookup filter of organisation %s could not be built (%s); its lookups go to the table "
                        + "alone until it is", org, e.toString());
            } finally {
                synchronized (slot) {
                    slot.building = false;
                }
            }
        });
    }

    /** The filter of what one snapshot holds, or null when the organisation has more than {@code budget} indicators. */
    private LookupFilter load(String org, long budget) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                LookupFilter filter;
                try (PreparedStatement version = connection.prepareStatement(VERSION)) {
                    version.setString(1, org);
                    try (ResultSet row = version.executeQuery()) {
                        row.next();
                        filter = new LookupFilter(row.getLong(1));
                    }
                }
                try (PreparedStatement rows = connection.prepareStatement("select type, value, family(network), "
                        + "masklen(network), host(network) from indicator where org_id = ?")) {
                    rows.setFetchSize(10_000);
                    rows.setString(1, org);
                    try (ResultSet row = rows.executeQuery()) {
                        while (row.next()) {
                            if (filter.size() >= budget) {
                                Log.warnf("Organisation %s has more indicators than the lookup filters have room "
                                        + "for (bulwark.relay.lookup-filter.max-indicators %d over all "
                                        + "organisations): its lookups go to the table alone", org, maxIndicators);
                                return null;
                            }
                            String host = row.getString(5);
                            if (host == null) {
                                filter.addValue(row.getString(1), row.getString(2));
                            } else {
                                filter.addNetwork(bytes(row.getInt(3), host), row.getInt(4));
                            }
                        }
                    }
                }
                return filter;
            } finally {
                connection.rollback();
                connection.setTransactionIsolation(isolation);
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** The address's bytes in its PostgreSQL family (an IPv4-mapped IPv6 network stays 16 bytes). */
    private static byte[] bytes(int family, String host) {
        byte[] bytes = InetAddresses.forString(host).getAddress();
        if (family == 6 && bytes.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        }
        return bytes;
    }

    /** Folds committed change rows into one per organisation; the sums, and so the versions, stay as they were. */
    public void compact() {
        try (Connection connection = dataSource.getConnection(); Statement fold = connection.createStatement()) {
            fold.executeUpdate("with gone as (delete from indicator_change where xid <> '0' returning org_id, weight) "
                    + "insert into indicator_change (org_id, xid, weight) select org_id, '0', sum(weight) from gone "
                    + "group by org_id order by org_id on conflict (org_id, xid) do update "
                    + "set weight = indicator_change.weight + excluded.weight");
        } catch (SQLException e) {
            Log.warnf("The indicator change rows could not be folded (%s); the next run tries again", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        builder.shutdownNow();
    }
}
