package dev.bulwark.relay.domain;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The indicator store: idempotent writes keyed by (organisation, source, type, normalised value), and lookups by
 * exact value, CIDR containment and parent domain that skip indicators outside their validity. Every read and write
 * is confined to one organisation; each query's index leads with the organisation column.
 */
@ApplicationScoped
public class IndicatorStore {

    private static final String CURRENT = "valid_from <= now() and (valid_until is null or valid_until > now())";
    /** Drafts written per query for what is already stored and per flush. */
    private static final int CHUNK = 1000;

    private final EntityManager em;

    IndicatorStore(EntityManager em) {
        this.em = em;
    }

    /**
     * Writes the drafts of one import into the organisation's indicators; the rejections found while parsing are
     * carried into the report. Imports of one source of one organisation are serialised (a transaction-scoped
     * advisory lock), so a scheduled pull and a manual import of the same feed cannot both insert the same
     * indicator. Drafts are written in chunks: one query finds what a chunk already has stored, and the persistence
     * context is flushed and cleared after each chunk.
     */
    @Transactional
    public ImportReport write(String org, List<IndicatorDraft> drafts, List<ImportReport.Rejection> rejections) {
        drafts.stream().map(IndicatorDraft::source).distinct().sorted().forEach(source ->
                em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))").setParameter(1, org + '\n' + source)
                        .getSingleResult());
        int[] outcomes = new int[Outcome.values().length];
        for (int from = 0; from < drafts.size(); from += CHUNK) {
            List<IndicatorDraft> chunk = drafts.subList(from, Math.min(drafts.size(), from + CHUNK));
            Map<String, Indicator> stored = stored(org, chunk);
            Map<String, Sighting> sightings = sightings(org, stored.values());
            for (IndicatorDraft draft : chunk) {
                outcomes[upsert(org, draft, stored, sightings).ordinal()]++;
            }
            em.flush();
            em.clear();
        }
        return new ImportReport(outcomes[Outcome.ADDED.ordinal()], outcomes[Outcome.UPDATED.ordinal()],
                outcomes[Outcome.UNCHANGED.ordinal()], List.copyOf(rejections));
    }

    private enum Outcome { ADDED, UPDATED, UNCHANGED }

    private static String key(String source, String type, String value) {
        return source + '\n' + type + '\n' + value;
    }

    /** The organisation's stored indicators of a chunk's drafts, by (source, type, value). */
    private static Map<String, Indicator> stored(String org, List<IndicatorDraft> chunk) {
        Map<String, Map<String, List<String>>> wanted = new HashMap<>();
        for (IndicatorDraft draft : chunk) {
            wanted.computeIfAbsent(draft.source(), s -> new HashMap<>())
                    .computeIfAbsent(draft.value().type().ctim(), t -> new ArrayList<>()).add(draft.value().value());
        }
        Map<String, Indicator> stored = new HashMap<>();
        wanted.forEach((source, byType) -> byType.forEach((type, values) ->
                Indicator.<Indicator>list("orgId = ?1 and source = ?2 and type = ?3 and value in ?4", org, source,
                                type, values)
                        .forEach(i -> stored.put(key(i.source, i.type, i.value), i))));
        return stored;
    }

    /** The stored sightings of the given indicators, by (indicator, external id). */
    private static Map<String, Sighting> sightings(String org, Collection<Indicator> indicators) {
        Map<String, Sighting> sightings = new HashMap<>();
        if (!indicators.isEmpty()) {
            Sighting.<Sighting>list("orgId = ?1 and indicatorId in ?2", org,
                            indicators.stream().map(i -> i.id).toList())
                    .forEach(s -> sightings.put(s.indicatorId + "\n" + s.externalId, s));
        }
        return sightings;
    }

    private Outcome upsert(String org, IndicatorDraft draft, Map<String, Indicator> indicators,
                           Map<String, Sighting> sightings) {
        String key = key(draft.source(), draft.value().type().ctim(), draft.value().value());
        Indicator stored = indicators.get(key);
        Instant now = Instant.now();
        Outcome outcome;
        if (stored == null) {
            stored = new Indicator();
            stored.id = UUID.randomUUID();
            stored.orgId = org;
            stored.type = draft.value().type().ctim();
            stored.value = draft.value().value();
            stored.network = draft.value().network();
            stored.source = draft.source();
            stored.createdAt = now;
            stored.validFrom = now;
            apply(stored, draft);
            stored.updatedAt = now;
            stored.persist();
            indicators.put(key, stored);
            outcome = Outcome.ADDED;
        } else if (differs(stored, draft)) {
            apply(stored, draft);
            stored.updatedAt = now;
            outcome = Outcome.UPDATED;
        } else {
            outcome = Outcome.UNCHANGED;
        }
        boolean sightingsChanged = false;
        for (IndicatorDraft.SightingDraft sighting : draft.sightings()) {
            sightingsChanged |= upsertSighting(stored, sighting, sightings);
        }
        return outcome == Outcome.UNCHANGED && sightingsChanged ? Outcome.UPDATED : outcome;
    }

    private static boolean differs(Indicator stored, IndicatorDraft draft) {
        return stored.disposition != draft.disposition() || !stored.confidence.equals(draft.confidence())
                || !stored.severity.equals(draft.severity()) || !stored.tags.equals(draft.tags())
                || !stored.tlp.equals(draft.tlp()) || !Objects.equals(stored.description, draft.description())
                || (draft.validFrom() != null && !stored.validFrom.equals(draft.validFrom()))
                || !Objects.equals(stored.validUntil, draft.validUntil())
                || !Objects.equals(stored.externalId, draft.externalId())
                || !stored.externalReferences.equals(draft.externalReferences());
    }

    private static void apply(Indicator stored, IndicatorDraft draft) {
        stored.disposition = (short) draft.disposition();
        stored.confidence = draft.confidence();
        stored.severity = draft.severity();
        stored.tags = List.copyOf(draft.tags());
        stored.tlp = draft.tlp();
        stored.description = draft.description();
        if (draft.validFrom() != null) {
            stored.validFrom = draft.validFrom();
        }
        stored.validUntil = draft.validUntil();
        stored.externalId = draft.externalId();
        stored.externalReferences = List.copyOf(draft.externalReferences());
    }

    private static boolean upsertSighting(Indicator indicator, IndicatorDraft.SightingDraft draft,
                                          Map<String, Sighting> sightings) {
        Sighting stored = sightings.get(indicator.id + "\n" + draft.externalId());
        if (stored == null) {
            stored = new Sighting();
            stored.id = UUID.randomUUID();
            stored.orgId = indicator.orgId;
            stored.indicatorId = indicator.id;
            stored.externalId = draft.externalId();
            stored.source = indicator.source;
            sightings.put(indicator.id + "\n" + draft.externalId(), stored);
        } else if (stored.count == draft.count() && stored.firstSeen.equals(draft.firstSeen())
                && stored.lastSeen.equals(draft.lastSeen()) && stored.title.equals(draft.title())
                && Objects.equals(stored.description, draft.description())) {
            return false;
        }
        stored.count = draft.count();
        stored.firstSeen = draft.firstSeen();
        stored.lastSeen = draft.lastSeen();
        stored.title = draft.title();
        stored.description = draft.description();
        stored.persist();
        return true;
    }

    /**
     * Current indicators matching each value (the answer is aligned with {@code values}), at most {@code limit} per
     * value, most specific first, each with why it matched: addresses by CIDR containment, domains by themselves or a
     * listed parent, the rest exactly. A fixed number of queries, whatever the number of values.
     */
    @Transactional
    public List<List<Match>> lookupAll(String org, List<Normalized> values, int limit) {
        List<List<Match>> answer = new ArrayList<>();
        values.forEach(v -> answer.add(new ArrayList<>()));
        Instant now = Instant.now();
        lookupAddresses(org, values, limit, answer);
        Map<IndicatorType, Set<String>> wanted = new LinkedHashMap<>();
        for (Normalized value : values) {
            if (value.type() == IndicatorType.DOMAIN) {
                wanted.computeIfAbsent(IndicatorType.DOMAIN, t -> new LinkedHashSet<>())
                        .addAll(Normalizer.domainAndParents(value.value()));
            } else if (!value.type().isAddress()) {
                wanted.computeIfAbsent(value.type(), t -> new LinkedHashSet<>()).add(value.value());
            }
        }
        wanted.forEach((type, names) -> {
            Map<String, List<Indicator>> byValue = new HashMap<>();
            Indicator.<Indicator>list("orgId = ?1 and type = ?2 and value in ?3 and validFrom <= ?4 and (validUntil is "
                    + "null or validUntil > ?4) order by disposition, id", org, type.ctim(), names, now)
                    .forEach(i -> byValue.computeIfAbsent(i.value, v -> new ArrayList<>()).add(i));
            for (int n = 0; n < values.size(); n++) {
                Normalized value = values.get(n);
                if (value.type() != type) {
                    continue;
                }
                List<String> candidates = type == IndicatorType.DOMAIN ? Normalizer.domainAndParents(value.value())
                        : List.of(value.value());
                candidates.stream().flatMap(c -> byValue.getOrDefault(c, List.of()).stream()).limit(limit)
                        .map(i -> new Match(i, i.value.equals(value.value()) ? "Listed by " + i.source
                                : value.value() + " is a subdomain of " + i.value + " " + reason(i)))
                        .forEach(answer.get(n)::add);
            }
        });
        return answer;
    }

    /** Containment of every address in one query: a lateral GiST lookup per address, then one load by id. */
    private void lookupAddresses(String org, List<Normalized> values, int limit, List<List<Match>> answer) {
        List<Integer> positions = new ArrayList<>();
        StringBuilder array = new StringBuilder("{");
        for (int n = 0; n < values.size(); n++) {
            if (values.get(n).type().isAddress()) {
                array.append(positions.isEmpty() ? "" : ",").append(values.get(n).value());
                positions.add(n);
            }
        }
        if (positions.isEmpty()) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select o.n, m.id from unnest(cast(?1 as inet[])) with ordinality "
                        + "o(address, n) cross join lateral (select id, network, disposition from indicator "
                        + "where org_id = ?3 and network >>= o.address and " + CURRENT
                        + " order by masklen(network) desc, disposition, id limit ?2) m "
                        + "order by o.n, masklen(m.network) desc, m.disposition, m.id")
                .setParameter(1, array.append("}").toString()).setParameter(2, limit).setParameter(3, org)
                .getResultList();
        if (rows.isEmpty()) {
            return;
        }
        Map<UUID, Indicator> byId = new HashMap<>();
        Indicator.<Indicator>list("orgId = ?1 and id in ?2", org,
                        rows.stream().map(r -> uuid(r[1])).distinct().toList())
                .forEach(i -> byId.put(i.id, i));
        for (Object[] row : rows) {
            int n = positions.get(((Number) row[0]).intValue() - 1);
            Normalized value = values.get(n);
            Indicator i = byId.get(uuid(row[1]));
            answer.get(n).add(new Match(i, i.value.equals(value.value()) ? "Listed by " + i.source
                    : value.value() + " is within " + i.value + " " + reason(i)));
        }
    }

    private static UUID uuid(Object column) {
        return column instanceof UUID id ? id : UUID.fromString(column.toString());
    }

    private static String reason(Indicator indicator) {
        return "listed by " + indicator.source;
    }

    /** The organisation's sightings of the given indicators, the most recent first. */
    @Transactional
    public List<Sighting> sightingsOf(String org, Collection<UUID> indicatorIds) {
        if (indicatorIds.isEmpty()) {
            return List.of();
        }
        return Sighting.list("orgId = ?1 and indicatorId in ?2 order by lastSeen desc, id", org, indicatorIds);
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

    /** A sighting as the recent-sightings tile shows it. */
    public record RecentSighting(Instant lastSeen, String type, String value, int disposition, int count,
                                 String source) {
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

    /** A stored indicator answering an observable, with the reason in words. */
    public record Match(Indicator indicator, String reason) {
    }
}
