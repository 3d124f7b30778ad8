package dev.bulwark.relay.indicator.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.google.common.net.InetAddresses;
import dev.bulwark.relay.indicator.domain.ExternalReference;
import dev.bulwark.relay.indicator.domain.Found;
import dev.bulwark.relay.indicator.domain.Indicator;
import dev.bulwark.relay.indicator.domain.IndicatorType;
import dev.bulwark.relay.indicator.domain.Match;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.Normalizer;
import dev.bulwark.relay.indicator.domain.Sighting;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Where observables are matched: lookups by exact value, CIDR containment and parent domain that skip indicators
 * outside their validity, confined to one organisation; each query's index leads with the organisation column.
 */
@ApplicationScoped
public class IndicatorMatcher {

    private static final String CURRENT = "valid_from <= now() and (valid_until is null or valid_until > now())";

    private static final TypeReference<List<String>> TAGS = new TypeReference<>() {
    };
    private static final TypeReference<List<ExternalReference>> REFERENCES = new TypeReference<>() {
    };

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
     * The filtered form: an address's candidates are the stored networks the filter found, matched by their canonical
     * text, a condition only the btree {@code indicator_address_text} serves (with {@code network = o.network} the
     * planner took the GiST containment index, see V4__address_text_index.sql).
     */
    private static final String NETWORK_MATCHES = "select o.n, o.rank, i.* "
            + "from unnest(cast(? as cidr[]), cast(? as int[]), cast(? as int[])) o(network, n, rank) "
            + "cross join lateral (select * from indicator where org_id = ? and text(network) = text(o.network) and "
            + CURRENT + " order by disposition, id limit ?) i";
    /** One row at least (with a null {@code n} when nothing matched), each with the organisation's change version. */
    private static final String FILTERED = "select v.version, " + COLUMNS + ", %s as sightings from ("
            + LookupFilters.VERSION + ") v left join (" + NETWORK_MATCHES + " union all " + VALUE_MATCHES
            + ") m on true order by m.n, m.rank, m.disposition, m.id";
    private static final String FILTERED_LOOKUP = FILTERED.formatted("null");
    /** Public for the benchmark, which runs the same statement through the raw driver as its baseline. */
    public static final String FILTERED_LOOKUP_WITH_SIGHTINGS = FILTERED.formatted(SIGHTINGS);

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final ObjectReader tags;
    private final ObjectReader references;
    private final LookupFilters filters;

    IndicatorMatcher(DataSource dataSource, ObjectMapper json, LookupFilters filters) {
        this.dataSource = dataSource;
        this.json = json;
        this.tags = json.readerFor(TAGS);
        this.references = json.readerFor(REFERENCES);
        this.filters = filters;
    }

    /**
     * Current indicators matching each value (the answer is aligned with {@code values}), at most {@code limit} per
     * value, most specific first, each with why it matched: addresses by CIDR containment, domains by themselves or a
     * listed parent, the rest exactly; with {@code withSightings}, each matched indicator's most recent sightings (at
     * most {@code limit}). One statement, so one round trip to PostgreSQL whatever the number of values; the rows
     * are read straight from JDBC into detached objects, as the answer is read-only.
     *
     * <p>With the organisation's {@link LookupFilter} ready, only what it may hold is asked for: values and parent
     * domains it certainly does not hold are left out, and an address becomes the few stored networks that may
     * contain it, looked up by equality instead of GiST containment. The statement also reads the organisation's
     * change version in its own snapshot: when indicators were added since the filter was built, the answer is
     * thrown away and the statement without a filter answers instead (and the filter is rebuilt).
     */
    public Found lookupAll(String org, List<Normalized> values, int limit, boolean withSightings) {
        LookupFilter filter = filters.current(org);
        if (filter != null) {
            Found found = lookup(org, values, limit, withSightings, filter);
            if (found != null) {
                return found;
            }
            filters.outdated(org, filter);
        }
        return lookup(org, values, limit, withSightings, null);
    }

    /**
     * The matches (with {@code filter}, asked only where it may hold them), or null when the filter turned out older
     * than the statement's snapshot.
     */
    Found lookup(String org, List<Normalized> values, int limit, boolean withSightings, LookupFilter filter) {
        List<Integer> addressAt = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        List<Integer> addressRanks = new ArrayList<>();
        List<Integer> valueAt = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        for (int n = 0; n < values.size(); n++) {
            Normalized value = values.get(n);
            if (value.type().isAddress()) {
                if (filter == null) {
                    addressAt.add(n);
                    addresses.add(value.value());
                    continue;
                }
                int slash = value.network().indexOf('/');
                for (String network : filter.networksContaining(
                        InetAddresses.forString(value.network().substring(0, slash)),
                        Integer.parseInt(value.network().substring(slash + 1)))) {
                    addressAt.add(n);
                    addresses.add(network);
                    addressRanks.add(-Integer.parseInt(network.substring(network.indexOf('/') + 1)));
                }
                continue;
            }
            List<String> names = value.type() == IndicatorType.DOMAIN ? Normalizer.domainAndParents(value.value())
                    : List.of(value.value());
            for (int k = 0; k < names.size(); k++) {
                if (filter == null || filter.mayHold(value.type().ctim(), names.get(k))) {
                    valueAt.add(n);
                    ranks.add(k);
                    types.add(value.type().ctim());
                    candidates.add(names.get(k));
                }
            }
        }
        List<List<Match>> matches = new ArrayList<>();
        values.forEach(v -> matches.add(new ArrayList<>()));
        Map<UUID, Indicator> indicators = new HashMap<>();
        Map<UUID, List<Sighting>> sightings = new HashMap<>();
        String sql = filter == null ? (withSightings ? LOOKUP_WITH_SIGHTINGS : LOOKUP)
                : (withSightings ? FILTERED_LOOKUP_WITH_SIGHTINGS : FILTERED_LOOKUP);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement lookup = connection.prepareStatement(sql)) {
            int p = 1;
            if (withSightings) {
                lookup.setString(p++, org);
                lookup.setInt(p++, limit);
            }
            if (filter != null) {
                lookup.setString(p++, org);
            }
            if (filter == null) {
                lookup.setArray(p++, connection.createArrayOf("inet", addresses.toArray()));
                lookup.setArray(p++, connection.createArrayOf("int4", addressAt.toArray()));
            } else {
                lookup.setArray(p++, connection.createArrayOf("text", addresses.toArray()));
                lookup.setArray(p++, connection.createArrayOf("int4", addressAt.toArray()));
                lookup.setArray(p++, connection.createArrayOf("int4", addressRanks.toArray()));
            }
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
                    if (filter != null && rows.getLong("version") != filter.version()) {
                        return null;
                    }
                    int n = rows.getInt("n");
                    if (rows.wasNull()) {
                        continue;
                    }
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
        indicator.tags = list(tags, row.getString("tags"));
        indicator.tlp = row.getString("tlp");
        indicator.description = row.getString("description");
        indicator.validFrom = row.getObject("valid_from", OffsetDateTime.class).toInstant();
        OffsetDateTime validUntil = row.getObject("valid_until", OffsetDateTime.class);
        indicator.validUntil = validUntil == null ? null : validUntil.toInstant();
        indicator.externalId = row.getString("external_id");
        indicator.externalReferences = list(references, row.getString("external_references"));
        return indicator;
    }

    /** Most indicators have no tags and no references: {@code []} needs no parser. */
    private static <T> List<T> list(ObjectReader reader, String json) throws IOException {
        return json.equals("[]") ? List.of() : reader.readValue(json);
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
}
