package dev.bulwark.relay.indicator.persistence;

import dev.bulwark.relay.indicator.domain.Indicator;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.RecentSighting;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The organisation's indicators as listed and counted (by value, recent sightings, current ones by disposition),
 * the store's health check, and the expiry of indicators past their validity. Writes are {@link IndicatorWriter}'s,
 * matching is {@link IndicatorMatcher}'s.
 */
@ApplicationScoped
public class IndicatorStore {

    private final EntityManager em;

    IndicatorStore(EntityManager em) {
        this.em = em;
    }

    /** The organisation's sightings last seen since {@code since} with what was sighted, the most recent first. */
    @Transactional
    public List<RecentSighting> recentSightings(String org, Instant since, int limit) {
        return em.createQuery("select s.lastSeen, i.type, i.value, i.disposition, s.count, s.source "
                        + "from Sighting s, Indicator i where s.orgId = ?2 and i.orgId = ?2 and i.id = s.indicatorId "
                        + "and s.lastSeen >= ?1 order by s.lastSeen desc, s.id", Object[].class)
                .setParameter(1, since).setParameter(2, org).setMaxResults(limit).getResultList().stream()
                .map(r -> new RecentSighting((Instant) r[0], (String) r[1], (String) r[2], ((Number) r[3]).intValue(),
                        ((Number) r[4]).intValue(), (String) r[5]))
                .toList();
    }

    /** Whether the store answers at all (a trivial query). */
    @Transactional
    public void ping() {
        em.createNativeQuery("select 1").getSingleResult();
    }

    /** Number of the organisation's current indicators by disposition, every disposition present. */
    @Transactional
    public Map<Integer, Long> countByDisposition(String org) {
        Map<Integer, Long> counts = new LinkedHashMap<>();
        for (int d = Vocabulary.CLEAN; d <= Vocabulary.UNKNOWN; d++) {
            counts.put(d, 0L);
        }
        List<Object[]> rows = em.createQuery("select disposition, count(*) from Indicator where orgId = ?2 and "
                + "validFrom <= ?1 and (validUntil is null or validUntil > ?1) group by disposition", Object[].class)
                .setParameter(1, Instant.now()).setParameter(2, org).getResultList();
        rows.forEach(row -> counts.put(((Number) row[0]).intValue(), (Long) row[1]));
        return counts;
    }

    /** The organisation's indicators of any source stored under this normalised value. */
    @Transactional
    public List<Indicator> byValue(String org, Normalized value, int limit) {
        return Indicator.<Indicator>find("orgId = ?1 and type = ?2 and value = ?3 order by source", org,
                value.type().ctim(), value.value()).page(0, limit).list();
    }

    /** Deletes the indicators (and their sightings) of every organisation whose validity ended before now. */
    @Transactional
    public long expire() {
        long deleted = Indicator.delete("validUntil < ?1", Instant.now());
        if (deleted > 0) {
            Log.infof("Expired %d indicators", deleted);
        }
        return deleted;
    }
}
