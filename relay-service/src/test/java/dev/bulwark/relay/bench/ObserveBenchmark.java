package dev.bulwark.relay.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.relay.indicator.domain.Normalizer;
import dev.bulwark.relay.indicator.persistence.IndicatorMatcher;
import dev.bulwark.relay.indicator.persistence.LookupFilters;
import dev.bulwark.relay.support.Digests;
import dev.bulwark.relay.support.Relay;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * observe/observables with 100 observables against 1,000,000 stored indicators, beside the raw PostgreSQL lookup of
 * the same values as baseline, twice: one query per value, and the store's own single statement (both plain JDBC on
 * one connection: no HTTP, no JSON, no CTIM; the statement is the store's unfiltered one, what the relay runs without its
 * lookup filter). Run with
 * {@code ./mvnw -B -o verify -pl relay-service -am -Pbench -Dtest=ObserveBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; it prints its numbers. The seeded rows stay (in an organisation of
 * their own) for the next run unless {@code -Dbench.drop=true}.
 */
@QuarkusTest
class ObserveBenchmark {

    private static final String SOURCE = "bench-1m";
    /**
     * An organisation of its own, so that the million rows can stay between runs (seeding takes minutes) without
     * any test's organisation seeing them; {@code -Dbench.drop=true} deletes them at the end.
     */
    private static final String BENCH_ORG = "bench-org-1m";
    /** The relay's queries are per organisation; the raw baselines filter the same way. */
    private static final String ORG = "org_id = '" + BENCH_ORG + "' and ";
    private static final int INDICATORS = 1_000_000;
    private static final int ROUNDS = 200;
    private static final int CLIENTS = 4;
    private static final Duration THROUGHPUT_WINDOW = Duration.ofSeconds(15);
    /**
     * How long each of the three (relay, both raw baselines) is called before it is measured: after 50 requests the
     * relay's JVM was still compiling its per-request code (p50 24.6 ms then, 7.5 ms after 20 s, same JVM and load).
     */
    private static final Duration WARM_UP = Duration.parse(System.getProperty("bench.warm-up", "PT20S"));
    /** The entity limit the relay applies without {@code CTR_ENTITIES_LIMIT}. */
    private static final int LIMIT = 100;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LookupFilters filters;

    @TestHTTPResource("/observe/observables")
    URL observe;

    @Test
    void observeHundredObservablesAgainstOneMillionIndicators() throws Exception {
        String loadBefore = loadAverage();
        try {
            long seeded = seed();
            String body = observables();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(observe.toString()))
                    .header("Authorization", "Bearer " + longLivedToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            String first = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(first.contains("\"verdicts\":{\"count\":70"), "70 of the 100 observables are listed: " + first
                    .substring(0, Math.min(300, first.length())));

            // The first lookup of the organisation starts building its filter (a million rows, seconds); measure with it.
            long filterStart = System.nanoTime();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
                http.send(request, HttpResponse.BodyHandlers.discarding());
                return filters.ready(BENCH_ORG);
            });
            double filterSeconds = (System.nanoTime() - filterStart) / 1e9;
            warmUp(() -> http.send(request, HttpResponse.BodyHandlers.discarding()));
            warmUp(this::rawLookup);
            warmUp(this::rawStatementLookup);
            long[] relay = new long[ROUNDS];
            long[] raw = new long[ROUNDS];
            long[] statement = new long[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                relay[i] = System.nanoTime() - start;
                assertEquals(200, response.statusCode());
                start = System.nanoTime();
                int hits = rawLookup();
                raw[i] = System.nanoTime() - start;
                assertEquals(70, hits);
                start = System.nanoTime();
                hits = rawStatementLookup();
                statement[i] = System.nanoTime() - start;
                assertEquals(70, hits);
            }
            double relayRate = throughput(() -> http.send(request, HttpResponse.BodyHandlers.discarding()));
            double rawRate = throughput(this::rawLookup);
            double statementRate = throughput(this::rawStatementLookup);

            System.out.printf("%n=== relay-service observe benchmark ===%n");
            System.out.printf("machine: %d cores, %s %s; PostgreSQL on localhost; %d indicators of source %s "
                    + "(%d seeded this run)%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("java.version"), INDICATORS, SOURCE, seeded);
            System.out.printf("lookup filter of the organisation ready %.1f s after its first lookup%n", filterSeconds);
            System.out.printf("warm-up: %d s of calls each for the relay and both raw baselines before measuring%n",
                    WARM_UP.toSeconds());
            System.out.printf("request: 100 observables (40 ip, 30 domain, 30 sha256), 70 listed%n");
            System.out.printf("load average (1, 5, 15 min) before: %s, after: %s%n", loadBefore, loadAverage());
            print("relay observe latency (HTTP, sequential)", relay);
            print("raw PostgreSQL lookup latency (JDBC, one query per value)", raw);
            print("raw PostgreSQL lookup latency (JDBC, the store's one statement)", statement);
            System.out.printf("latency ratio relay/raw per value: p50 %.2f, p95 %.2f; relay/raw one statement: p50 %.2f, "
                    + "p95 %.2f%n", ratio(relay, raw, 50), ratio(relay, raw, 95), ratio(relay, statement, 50),
                    ratio(relay, statement, 95));
            System.out.printf("throughput with %d clients: relay %.1f requests/s (%.0f observables/s), raw per value "
                    + "%.1f/s (ratio %.2f), raw one statement %.1f/s (ratio %.2f)%n", CLIENTS, relayRate, relayRate * 100,
                    rawRate, relayRate / rawRate, statementRate, relayRate / statementRate);
            bench("observe|raw=sql-one-statement", relay, relayRate);
            bench("sql-one-statement", statement, statementRate);
            bench("sql-per-value", raw, rawRate);
        } finally {
            if (Boolean.getBoolean("bench.drop")) {
                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("delete from indicator where " + ORG + "source = '" + SOURCE + "'");
                }
            }
        }
    }

    /** 400k addresses, 100k /24 networks, 300k domains, 200k SHA-256 hashes, in ranges no test uses. */
    private long seed() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet kept = s.executeQuery("select count(*) from indicator where " + ORG + "source = '" + SOURCE
                    + "'")) {
                kept.next();
                if (kept.getLong(1) == INDICATORS) {
                    return 0;
                }
            }
            s.executeUpdate("delete from indicator where " + ORG + "source = '" + SOURCE + "'");
            String columns = "insert into indicator (id, org_id, type, value, network, disposition, confidence, severity, "
                    + "source, tags, tlp, valid_from, external_references, created_at, updated_at) ";
            String rest = ", 2, 'High', 'High', '" + SOURCE + "', '[]', 'green', now() - interval '1 day', '[]', now(), "
                    + "now() from generate_series";
            long total = 0;
            total += s.executeUpdate(columns + "select gen_random_uuid(), '" + BENCH_ORG + "', 'ip', host(inet '11.0.0.0' + i), "
                    + "cidr(inet '11.0.0.0' + i)" + rest + "(1, 400000) i");
            total += s.executeUpdate(columns + "select gen_random_uuid(), '" + BENCH_ORG + "', 'ip', "
                    + "text(set_masklen(cidr(inet '20.0.0.0' + i * 256), 24)), set_masklen(cidr(inet '20.0.0.0' + "
                    + "i * 256), 24)" + rest + "(1, 100000) i");
            total += s.executeUpdate(columns + "select gen_random_uuid(), '" + BENCH_ORG + "', 'domain', 'bench' || i || '.example', null"
                    + rest + "(1, 300000) i");
            total += s.executeUpdate(columns + "select gen_random_uuid(), '" + BENCH_ORG + "', 'sha256', "
                    + "encode(sha256(convert_to('bench' || i, 'UTF8')), 'hex'), null" + rest + "(1, 200000) i");
            s.execute("analyze indicator");
            return total;
        }
    }

    /** 20 listed addresses, 10 inside listed networks, 10 unlisted (70 of 100 listed); 20 listed subdomains, 10 unlisted; 20+10 hashes. */
    private static String observables() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pairs.addAll(List.of("ip", i < 20 ? "11.0." + (i + 1) + ".7" : i < 30 ? "20.0." + (i + 1) + ".9"
                    : "198.51.100." + i));
        }
        for (int i = 0; i < 30; i++) {
            pairs.addAll(List.of("domain", i < 20 ? "www.bench" + (i * 997 + 1) + ".example" : "unlisted" + i
                    + ".example"));
        }
        for (int i = 0; i < 30; i++) {
            pairs.addAll(List.of("sha256", Digests.sha256(i < 20 ? "bench" + (i * 7919 + 1) : "unlisted" + i)));
        }
        return Relay.observables(pairs.toArray(String[]::new));
    }

    private List<String[]> lookups;

    /** The same lookups the store runs, as plain JDBC on one connection: the floor the relay is measured against. */
    private int rawLookup() throws SQLException {
        if (lookups == null) {
            lookups = new ArrayList<>();
            String[] parts = observables().replaceAll("[\\[\\]{}\"]", "").split(",");
            for (int i = 0; i < parts.length; i += 2) {
                lookups.add(new String[] {parts[i].split(":", 2)[1], parts[i + 1].split(":", 2)[1]});
            }
        }
        int hits = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ip = c.prepareStatement("select id from indicator where " + ORG + "network >>= cast(? as inet) "
                     + "and valid_from <= now() and (valid_until is null or valid_until > now()) limit 100");
             PreparedStatement domain = c.prepareStatement("select id from indicator where " + ORG + "type = 'domain' and "
                     + "value = any(?) and valid_from <= now() and (valid_until is null or valid_until > now()) limit 100");
             PreparedStatement exact = c.prepareStatement("select id from indicator where " + ORG + "type = ? and value = ? "
                     + "and valid_from <= now() and (valid_until is null or valid_until > now()) limit 100")) {
            for (String[] lookup : lookups) {
                PreparedStatement statement;
                if (lookup[0].equals("ip")) {
                    statement = ip;
                    ip.setString(1, lookup[1]);
                } else if (lookup[0].equals("domain")) {
                    statement = domain;
                    domain.setArray(1, c.createArrayOf("text", Normalizer.domainAndParents(lookup[1]).toArray()));
                } else {
                    statement = exact;
                    exact.setString(1, lookup[0]);
                    exact.setString(2, lookup[1]);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    hits += rows.next() ? 1 : 0;
                }
            }
        }
        return hits;
    }

    /**
     * The same values with the statement the store runs ({@link IndicatorMatcher#LOOKUP_WITH_SIGHTINGS}: every match
     * and its sightings in one round trip), through the raw driver on one connection, rows read but not mapped.
     */
    private int rawStatementLookup() throws SQLException {
        if (lookups == null) {
            rawLookup();
        }
        List<Integer> addressAt = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        List<Integer> valueAt = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int n = 0; n < lookups.size(); n++) {
            String[] lookup = lookups.get(n);
            if (lookup[0].equals("ip")) {
                addressAt.add(n);
                addresses.add(lookup[1]);
                continue;
            }
            List<String> candidates = lookup[0].equals("domain") ? Normalizer.domainAndParents(lookup[1])
                    : List.of(lookup[1]);
            for (int k = 0; k < candidates.size(); k++) {
                valueAt.add(n);
                ranks.add(k);
                types.add(lookup[0]);
                names.add(candidates.get(k));
            }
        }
        Set<Integer> hits = new HashSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement lookup = c.prepareStatement(IndicatorMatcher.LOOKUP_WITH_SIGHTINGS)) {
            int p = 1;
            lookup.setString(p++, BENCH_ORG);
            lookup.setInt(p++, LIMIT);
            lookup.setArray(p++, c.createArrayOf("inet", addresses.toArray()));
            lookup.setArray(p++, c.createArrayOf("int4", addressAt.toArray()));
            lookup.setString(p++, BENCH_ORG);
            lookup.setInt(p++, LIMIT);
            lookup.setArray(p++, c.createArrayOf("int4", valueAt.toArray()));
            lookup.setArray(p++, c.createArrayOf("int4", ranks.toArray()));
            lookup.setArray(p++, c.createArrayOf("text", types.toArray()));
            lookup.setArray(p++, c.createArrayOf("text", names.toArray()));
            lookup.setString(p++, BENCH_ORG);
            lookup.setInt(p, LIMIT);
            try (ResultSet rows = lookup.executeQuery()) {
                while (rows.next()) {
                    hits.add(rows.getInt("n"));
                }
            }
        }
        return hits.size();
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static double ratio(long[] a, long[] b, int p) {
        return (double) percentile(a, p) / percentile(b, p);
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static void warmUp(Call call) throws Exception {
        long end = System.nanoTime() + WARM_UP.toNanos();
        while (System.nanoTime() < end) {
            call.run();
        }
    }

    private static double throughput(Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        List<Future<?>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(pool.submit(() -> {
                while (running.get()) {
                    call.run();
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(THROUGHPUT_WINDOW.toMillis());
        running.set(false);
        long count = done.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();
        return count / seconds;
    }

    private static void print(String what, long[] nanos) {
        System.out.printf("%s over %d rounds: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
                nanos.length, percentile(nanos, 50) / 1e6, percentile(nanos, 95) / 1e6, percentile(nanos, 99) / 1e6,
                percentile(nanos, 100) / 1e6);
    }

    /** bench.sh's machine-readable line. */
    private static void bench(String measure, long[] nanos, double rate) {
        System.out.printf("BENCH|relay|%s|value=%.1f|unit=req/s|p50_ms=%.2f|p95_ms=%.2f|p99_ms=%.2f%n", measure, rate,
                percentile(nanos, 50) / 1e6, percentile(nanos, 95) / 1e6, percentile(nanos, 99) / 1e6);
    }

    private static long percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String longLivedToken() {
        return TestTokens.builder().org(BENCH_ORG).roles("relay-client").lifetime(Duration.ofHours(1))
                .build();
    }
}
