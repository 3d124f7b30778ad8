package dev.bulwark.relay.indicator.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.relay.indicator.domain.ExternalReference;
import dev.bulwark.relay.indicator.domain.Found;
import dev.bulwark.relay.indicator.domain.ImportReport;
import dev.bulwark.relay.indicator.domain.Indicator;
import dev.bulwark.relay.indicator.domain.IndicatorDraft;
import dev.bulwark.relay.indicator.domain.IndicatorType;
import dev.bulwark.relay.indicator.domain.Match;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.Normalizer;
import dev.bulwark.relay.indicator.domain.RecentSighting;
import dev.bulwark.relay.indicator.domain.Sighting;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

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

    private static final TypeReference<List<String>> TAGS = new TypeReference<>() {
    };
    private static final TypeReference<List<ExternalReference>> REFERENCES = new TypeReference<>() {
    };

    private final EntityManager em;
    private final DataSource dataSource;
    private final ObjectMapper json;

    IndicatorStore(EntityManager em, DataSource dataSource, ObjectMapper json) {
        this.em = em;
        this.dataSource = dataSource;
        this.json = json;
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

    /** An address's matches: the networks containing it, the most specific first. */
    private static final String ADDRESS_MATCHES = "select o.n, -masklen(i.network) as rank, i.* "
            + "from unnest(cast(? as inet[]), cast(? as int[])) o(address, n) cross join lateral "
            + "(select * from indicator where org_id = ? and network >>= o.address and " + CURRENT
            + " order by masklen(network) desc, disposition, id limit ?) i";
    /** A name's or hash's matches: the value itself, and for domains each parent (rank k: the nearest first). */
    private static final String VALUE_MATCHES = "select o.n, o.k as rank, i.* "
            + "from unnest(cast(? as int[]), cast(? as int[]), cast(? as text[]), cast(? as text[])) o(n, k, type, value) "
            + "cross join lateral (select * from indicator where org_id = ? and type = o.type and value = o.value and "
            + CURRENT + " order by disposition, id limit ?) i";
    private static final String COLUMNS = "m.n, m.id, m.type, m.value, m.disposition, m.confidence, m.severity, "
            + "m.source, m.tags, m.tlp, m.description, m.valid_from, m.valid_until, m.external_id, "
            + "m.external_references";
    /** The most recent sightings of a matched indicator as one JSON array (times in microseconds since the epoch). */
    private static final String SIGHTINGS = "(select json_agg(json_build_array(s.id, s.count, "
            + "(extract(epoch from s.first_seen) * 1000000)::bigint, (extract(epoch from s.last_seen) * 1000000)::bigint, "
            + "s.title, s.description, s.source) order by s.last_seen desc, s.id) from (select * from sighting "
            + "where org_id = ? and indicator_id = m.id order by last_seen desc, id limit ?) s)";
    private static final String LOOKUP = "select " + COLUMNS + ", null as sightings from (" + ADDRESS_MATCHES
            + " union all " + VALUE_MATCHES + ") m order by m.n, m.rank, m.disposition, m.id";
    /** Public for the benchmark, which runs the same statement through the raw driver as its baseline. */
    public static final String LOOKUP_WITH_SIGHTINGS = "select " + COLUMNS + ", " + SIGHTINGS + " as sightings from ("
            + ADDRESS_MATCHES + " union all " + VALUE_MATCHES + ") m order by m.n, m.rank, m.disposition, m.id";

    /**
     * Current indicators matching each value (the answer is aligned with {@code values}), at most {@code limit} per
     * value, most specific first, each with why it matched: addresses by CIDR containment, domains by themselves or a
     * listed parent, the rest exactly; with {@code withSightings}, each matched indicator's most recent sightings (at
     * most {@code limit}). One statement, so one round trip to PostgreSQL whatever the number of values; the rows
     * are read straight from JDBC into detached objects, as the answer is read-only.
     */
    public Found lookupAll(String org, List<Normalized> values, int limit, boolean withSightings) {
        List<Integer> addressAt = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        List<Integer> valueAt = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        for (int n = 0; n < values.size(); n++) {
            Normalized value = values.get(n);
            if (value.type().isAddress()) {
                addressAt.add(n);
                addresses.add(value.value());
                continue;
            }
            List<String> names = value.type() == IndicatorType.DOMAIN ? Normalizer.domainAndParents(value.value())
                    : List.of(value.value());
            for (int k = 0; k < names.size(); k++) {
                valueAt.add(n);
                ranks.add(k);
                types.add(value.type().ctim());
                candidates.add(names.get(k));
            }
        }
        List<List<Match>> matches = new ArrayList<>();
        values.forEach(v -> matches.add(new ArrayList<>()));
        Map<UUID, Indicator> indicators = new HashMap<>();
        Map<UUID, List<Sighting>> sightings = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement lookup = connection.prepareStatement(withSightings ? LOOKUP_WITH_SIGHTINGS : LOOKUP)) {
            int p = 1;
            if (withSightings) {
                lookup.setString(p++, org);
                lookup.setInt(p++, limit);
            }
            lookup.setArray(p++, connection.createArrayOf("inet", addresses.toArray()));
            lookup.setArray(p++, connection.createArrayOf("int4", addressAt.toArray()));
            lookup.setString(p++, org);
            lookup.setInt(p++, limit);
            lookup.setArray(p++, connection.createArrayOf("int4", valueAt.toArray()));
            lookup.setArray(p++, connection.createArrayOf("int4", ranks.toArray()));
            lookup.setArray(p++, connection.createArrayOf("text", types.toArray()));
            lookup.setArray(p++, connection.createArrayOf("text", candidates.toArray()));
            lookup.setString(p++, org);
            lookup.setInt(p, limit);
            try (ResultSet rows = lookup.executeQuery()) {
                while (rows.next()) {
                    int n = rows.getInt("n");
                    UUID id = rows.getObject("id", UUID.class);
                    Indicator indicator = indicators.get(id);
                    if (indicator == null) {
                        indicator = indicator(org, id, rows);
                        indicators.put(id, indicator);
                        String found = rows.getString("sightings");
                        if (found != null) {
                            sightings.put(id, readSightings(indicator, found));
                        }
                    }
                    if (matches.get(n).size() < limit) {
                        Normalized value = values.get(n);
                        matches.get(n).add(new Match(indicator, indicator.value.equals(value.value())
                                ? "Listed by " + indicator.source
                                : value.value() + (value.type().isAddress() ? " is within " : " is a subdomain of ")
                                + indicator.value + " " + reason(indicator)));
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("The indicator lookup failed", e);
        }
        return new Found(matches, sightings);
    }

    private Indicator indicator(String org, UUID id, ResultSet row) throws SQLException, IOException {
        Indicator indicator = new Indicator();
        indicator.id = id;
        indicator.orgId = org;
        indicator.type = row.getString("type");
        indicator.value = row.getString("value");
        indicator.disposition = row.getShort("disposition");
        indicator.confidence = row.getString("confidence");
        indicator.severity = row.getString("severity");
        indicator.source = row.getString("source");
        indicator.tags = json.readValue(row.getString("tags"), TAGS);
        indicator.tlp = row.getString("tlp");
        indicator.description = row.getString("description");
        indicator.validFrom = row.getObject("valid_from", OffsetDateTime.class).toInstant();
        OffsetDateTime validUntil = row.getObject("valid_until", OffsetDateTime.class);
        indicator.validUntil = validUntil == null ? null : validUntil.toInstant();
        indicator.externalId = row.getString("external_id");
        indicator.externalReferences = json.readValue(row.getString("external_references"), REFERENCES);
        return indicator;
    }

    private List<Sighting> readSightings(Indicator indicator, String found) throws IOException {
        List<Sighting> sightings = new ArrayList<>();
        for (JsonNode row : json.readTree(found)) {
            Sighting sighting = new Sighting();
            sighting.id = UUID.fromString(row.get(0).asText());
            sighting.orgId = indicator.orgId;
            sighting.indicatorId = indicator.id;
            sighting.count = row.get(1).asInt();
            sighting.firstSeen = Instant.EPOCH.plus(row.get(2).asLong(), ChronoUnit.MICROS);
            sighting.lastSeen = Instant.EPOCH.plus(row.get(3).asLong(), ChronoUnit.MICROS);
            sighting.title = row.get(4).asText();
            sighting.description = row.get(5).isNull() ? null : row.get(5).asText();
            sighting.source = row.get(6).asText();
            sightings.add(sighting);
        }
        return sightings;
    }

    private static String reason(Indicator indicator) {
        return "listed by " + indicator.source;
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
