package dev.bulwark.relay.indicator.persistence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.relay.indicator.domain.Found;
import dev.bulwark.relay.indicator.domain.IndicatorType;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.Normalizer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The lookup filter answers exactly like the table: the same matches (exact values, parent domains, CIDR containment of
 * addresses and networks, IPv6) with it as without it, nothing of another organisation, nothing expired; and what
 * another replica writes straight into PostgreSQL is answered by the very next lookup, while the filter is outdated
 * (the version read in the lookup's own statement differs), and again once it is rebuilt.
 */
@QuarkusTest
class LookupFilterTest {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Inject
    IndicatorMatcher matcher;

    @Inject
    LookupFilters filters;

    @Inject
    AgroalDataSource dataSource;

    private final String org = "filter-a-" + UUID.randomUUID();
    private final String other = "filter-b-" + UUID.randomUUID();

    private static final List<Normalized> ASKED = List.of(
            value(IndicatorType.IP, "10.1.2.3"),            // listed exactly, and inside 10.0.0.0/8
            value(IndicatorType.IP, "192.0.2.4"),           // not listed
            value(IndicatorType.IP, "10.9.44.5"),           // inside 10.9.0.0/16 and 10.0.0.0/8
            value(IndicatorType.IP, "10.9.0.0/24"),         // a network inside 10.9.0.0/16
            value(IndicatorType.IP, "10.50.1.1"),           // inside the other organisation's network only
            value(IndicatorType.IPV6, "2001:db8:1::5"),     // inside 2001:db8::/32
            value(IndicatorType.IPV6, "2001:db9::1"),       // not listed
            value(IndicatorType.DOMAIN, "www.evil.example"), // a subdomain of evil.example
            value(IndicatorType.DOMAIN, "only-b.example"),  // the other organisation's
            value(IndicatorType.DOMAIN, "gone.example"),    // expired
            value(IndicatorType.SHA256, "a".repeat(64)),    // listed
            value(IndicatorType.SHA256, "b".repeat(64)),    // not listed
            value(IndicatorType.URL, "https://evil.example/login"),
            value(IndicatorType.DOMAIN, "new.example"),     // added later by "another replica"
            value(IndicatorType.IP, "10.77.3.3"));          // inside a network added later

    @Test
    void theFilteredLookupAnswersLikeTheTable() throws SQLException {
        insert(org, "ip", "10.1.2.3", "10.1.2.3/32", null);
        insert(org, "ip", "10.9.0.0/16", "10.9.0.0/16", null);
        insert(org, "ip", "10.0.0.0/8", "10.0.0.0/8", null);
        insert(org, "ipv6", "2001:db8::/32", "2001:db8::/32", null);
        insert(org, "domain", "evil.example", null, null);
        insert(org, "domain", "gone.example", null, "now() - interval '1 minute'");
        insert(org, "sha256", "a".repeat(64), null, null);
        insert(org, "url", "https://evil.example/login", null, null);
        insert(other, "ip", "10.50.0.0/16", "10.50.0.0/16", null);
        insert(other, "domain", "only-b.example", null, null);

        LookupFilter filter = readyFilter();
        String expected = "0:[10.1.2.3, 10.0.0.0/8] 1:[] 2:[10.9.0.0/16, 10.0.0.0/8] 3:[10.9.0.0/16, 10.0.0.0/8] "
                + "4:[10.0.0.0/8] 5:[2001:db8::/32] 6:[] 7:[evil.example] 8:[] 9:[] 10:[" + "a".repeat(64) + "] 11:[] "
                + "12:[https://evil.example/login] 13:[] 14:[10.0.0.0/8]";
        assertEquals(expected, answer(matcher.lookup(org, ASKED, 100, true, filter)), "with the filter");
        assertEquals(expected, answer(matcher.lookup(org, ASKED, 100, true, null)), "without it");
        assertEquals(expected, answer(matcher.lookupAll(org, ASKED, 100, true)));
        assertTrue(filters.ready(org), "the answer came from the filtered statement");
        assertEquals("0:[] 1:[] 2:[] 3:[] 4:[10.50.0.0/16] 5:[] 6:[] 7:[] 8:[only-b.example] 9:[] 10:[] 11:[] 12:[] "
                + "13:[] 14:[]", answer(matcher.lookupAll(other, ASKED, 100, true)), "the other organisation's");
        assertEquals("0:[10.1.2.3] 1:[] 2:[10.9.0.0/16] 3:[10.9.0.0/16] 4:[10.0.0.0/8] 5:[2001:db8::/32] 6:[] "
                + "7:[evil.example] 8:[] 9:[] 10:[" + "a".repeat(64) + "] 11:[] 12:[https://evil.example/login] 13:[] "
                + "14:[10.0.0.0/8]", answer(matcher.lookup(org, ASKED, 1, true, filter)), "one per value");

        // Another replica adds indicators: the filter does not know them, the very next lookup answers them.
        insert(org, "domain", "new.example", null, null);
        insert(org, "ip", "10.77.0.0/16", "10.77.0.0/16", null);
        String added = expected.replace("13:[]", "13:[new.example]").replace("14:[10.0.0.0/8]",
                "14:[10.77.0.0/16, 10.0.0.0/8]");
        assertNull(matcher.lookup(org, ASKED, 100, true, filter), "the outdated filter is noticed");
        assertEquals(added, answer(matcher.lookupAll(org, ASKED, 100, true)));
        LookupFilter rebuilt = readyFilter();
        assertTrue(rebuilt != filter && rebuilt.version() > filter.version());
        assertEquals(added, answer(matcher.lookup(org, ASKED, 100, true, rebuilt)));

        // Another replica deletes one: answered at once, although the filter still holds it.
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from indicator where org_id = '" + org + "' and value = '10.9.0.0/16'");
        }
        assertEquals(added.replace("10.9.0.0/16, ", ""), answer(matcher.lookupAll(org, ASKED, 100, true)));
        assertTrue(filters.ready(org), "a deletion leaves the filter current");
        assertEquals(rebuilt.version(), filters.current(org).version());
    }

    /** The organisation's filter once built from the current state (each call asks for it as a lookup would). */
    private LookupFilter readyFilter() {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            LookupFilter filter = filters.current(org);
            return filter != null && matcher.lookup(org, ASKED, 1, false, filter) != null ? filter : null;
        }, f -> f != null);
    }

    /** Each asked value's matched indicator values, in the order answered. */
    private static String answer(Found found) {
        StringBuilder text = new StringBuilder();
        for (int n = 0; n < found.matches().size(); n++) {
            text.append(n == 0 ? "" : " ").append(n).append(':')
                    .append(found.matches().get(n).stream().map(m -> m.indicator().value).toList());
        }
        return text.toString();
    }

    private void insert(String owner, String type, String value, String network, String validUntil)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("insert into indicator (id, org_id, type, value, network, "
                + "disposition, confidence, severity, source, tags, tlp, valid_from, valid_until, external_references, "
                + "created_at, updated_at) values (gen_random_uuid(), ?, ?, ?, cast(? as cidr), 2, 'High', "
                + "'High', 'filter-test', '[]', 'green', now() - interval '1 day', "
                + (validUntil == null ? "null" : validUntil) + ", '[]', now(), now())")) {
            s.setString(1, owner);
            s.setString(2, type);
            s.setString(3, value);
            s.setString(4, network);
            s.executeUpdate();
        }
    }

    private static Normalized value(IndicatorType type, String raw) {
        return Normalizer.normalize(type, raw);
    }
}
