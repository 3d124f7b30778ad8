package dev.bulwark.relay.indicator.domain;

import dev.bulwark.relay.indicator.persistence.IndicatorMatcher;
import dev.bulwark.relay.indicator.persistence.IndicatorStore;
import dev.bulwark.relay.indicator.persistence.IndicatorWriter;
import dev.bulwark.relay.indicator.persistence.LookupFilters;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The indicator feature as the other features use it: imports and respond actions write through it, the relay API
 * looks up, counts and lists sightings through it; only this feature touches its {@code persistence/}
 * ({@link IndicatorWriter}, {@link IndicatorMatcher}, {@link IndicatorStore}). Indicators past their validity are
 * expired here on {@code bulwark.relay.feeds.expire-every}.
 */
@ApplicationScoped
public class Indicators {

    private final IndicatorWriter writer;
    private final IndicatorMatcher matcher;
    private final IndicatorStore store;
    private final LookupFilters filters;

    Indicators(IndicatorWriter writer, IndicatorMatcher matcher, IndicatorStore store, LookupFilters filters) {
        this.writer = writer;
        this.matcher = matcher;
        this.store = store;
        this.filters = filters;
    }

    /** See {@link IndicatorWriter#write}. */
    public ImportReport write(String org, List<IndicatorDraft> drafts, List<ImportReport.Rejection> rejections) {
        return writer.write(org, drafts, rejections);
    }

    /** See {@link IndicatorMatcher#lookupAll}. */
    public Found lookupAll(String org, List<Normalized> values, int limit, boolean withSightings) {
        return matcher.lookupAll(org, values, limit, withSightings);
    }

    /** See {@link IndicatorStore#byValue}. */
    public List<Indicator> byValue(String org, Normalized value, int limit) {
        return store.byValue(org, value, limit);
    }

    /** See {@link IndicatorStore#recentSightings}. */
    public List<RecentSighting> recentSightings(String org, Instant since, int limit) {
        return store.recentSightings(org, since, limit);
    }

    /** See {@link IndicatorStore#countByDisposition}. */
    public Map<Integer, Long> countByDisposition(String org) {
        return store.countByDisposition(org);
    }

    /** Whether the store answers at all. */
    public void ping() {
        store.ping();
    }

    @Scheduled(every = "${bulwark.relay.feeds.expire-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        store.expire();
    }

    @Scheduled(every = "${bulwark.relay.lookup-filter.compact-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void compactChanges() {
        filters.compact();
    }
}
