package dev.bulwark.dispatcher.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 3: the dispatcher's ordered lanes against a slow target ({@value #TARGET_MS} ms per PATCH). With
 * {@code concurrency} lanes, throughput should grow with the number of distinct keys up to the lane count (one
 * record of a key at a time keeps its order), while every key's records arrive in the order they were produced and
 * none is lost. One dispatcher process, one topic; after an untimed warm-up phase, each phase produces
 * {@value #PER_PHASE} records spread over 1, 2, 4, 8 and 16 keys and waits for all of them. The raw baseline, measured
 * in the same run: one plain HTTP caller doing the same search and PATCH per record on the same target, one after
 * another (no Kafka, no Redis, no dispatcher). Run with {@code -Pbench}.
 */
class LaneScalingBench {

    private static final int TARGET_MS = 10;
    private static final int PER_PHASE = Integer.getInteger("bench.lanes.messages", 400);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    private static final int[] KEYS = {8, 1, 2, 4, 8, 16};

    @Test
    void throughputGrowsWithDistinctKeysAndEachKeyKeepsItsOrder() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench-lanes-" + run;
        Map<String, List<Integer>> arrivals = new ConcurrentHashMap<>();
        AtomicLong patches = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        target.setExecutor(Executors.newFixedThreadPool(64));
        target.createContext("/api/applied-controls/", exchange -> {
            if ("GET".equals(exchange.getRequestMethod())) {
                // The selector's ref_id ("<phase>.<key>.<seq>") comes back as the object's id, so the PATCH names it.
                String refId = URLDecoder.decode(exchange.getRequestURI().getRawQuery().replaceAll(".*ref_id=([^&]*).*",
                        "$1"), StandardCharsets.UTF_8);
                BenchDispatcher.respond(exchange, "{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + refId + "\"}]}");
                return;
            }
            try {
                Thread.sleep(TARGET_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String[] id = exchange.getRequestURI().getPath().replaceAll(".*/applied-controls/([^/]+)/?$", "$1")
                    .split("\\.");
            List<Integer> seen = arrivals.computeIfAbsent(id[0] + "." + id[1], k -> new ArrayList<>());
            synchronized (seen) {
                int seq = Integer.parseInt(id[2]);
                if (seen.contains(seq)) {
                    duplicates.incrementAndGet();
                }
                seen.add(seq);
            }
            patches.incrementAndGet();
            BenchDispatcher.respond(exchange, "{}");
        });
        target.start();
        double raw = oneCaller(target.getAddress().getPort());
        arrivals.clear();
        long rawCalls = patches.getAndSet(0);
        Map<Integer, Double> rates = new LinkedHashMap<>();
        Process dispatcher = null;
        try (KafkaProducer<String, String> producer = BenchDispatcher.producer()) {
            dispatcher = BenchDispatcher.start(topic, run, CONCURRENCY, target.getAddress().getPort());
            // Phase 0 warms up: the dispatcher's start, its group join and JIT are not timed.
            for (int phase = 0; phase < KEYS.length; phase++) {
                int keys = KEYS[phase];
                long before = patches.get();
                long start = System.nanoTime();
                for (int i = 0; i < PER_PHASE; i++) {
                    int key = i % keys;
                    int seq = i / keys;
                    producer.send(new ProducerRecord<>(topic, "p" + phase + "-key-" + key,
                            BenchDispatcher.updateAppliedControl(phase + "." + key + "." + seq,
                                    "lanes-" + run + "-" + phase + "-" + i)));
                }
                producer.flush();
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> patches.get() - before >= PER_PHASE);
                if (phase > 0) {
                    rates.put(keys, PER_PHASE / ((System.nanoTime() - start) / 1e9));
                }
            }
        } finally {
            BenchDispatcher.stop(dispatcher);
            target.stop(0);
        }
        BenchDispatcher.machine(PER_PHASE + " records per phase, concurrency " + CONCURRENCY + ", target "
                + TARGET_MS + " ms per PATCH");
        System.out.printf("BENCH raw: one plain caller, search + PATCH on the slow target (%d records): %.0f msg/s%n",
                rawCalls, raw);
        rates.forEach((keys, rate) -> System.out.printf("BENCH %2d key(s): %6.0f msg/s, ratio to the raw caller %.2f "
                + "(ideal %d)%n", keys, rate, rate / raw, Math.min(keys, CONCURRENCY)));
        for (int phase = 0; phase < KEYS.length; phase++) {
            for (int key = 0; key < KEYS[phase]; key++) {
                List<Integer> seen = arrivals.getOrDefault(phase + "." + key, List.of());
                List<Integer> expected = new ArrayList<>();
                for (int seq = 0; seq * KEYS[phase] + key < PER_PHASE; seq++) {
                    expected.add(seq);
                }
                assertEquals(expected, seen, "phase " + phase + " key " + key + ": every record once, in order");
            }
        }
        System.out.printf("BENCH order kept for every key, none lost, %d duplicate(s)%n%n", duplicates.get());
        System.out.printf("BENCH|dispatcher|raw-caller-%dms|value=%.1f|unit=msg/s%n", TARGET_MS, raw);
        rates.forEach((keys, rate) -> System.out.printf("BENCH|dispatcher|lanes-%d-keys|value=%.1f|unit=msg/s"
                + "|raw=raw-caller-%dms%n", keys, rate, TARGET_MS));
        System.out.printf("BENCH|dispatcher|lanes-order|note=kept for every key, none lost, %d duplicate(s)%n",
                duplicates.get());
    }

    /** Records per second of one plain caller doing each record's search and PATCH in turn. */
    private static double oneCaller(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port + "/api/applied-controls/";
        int records = 100;
        long start = 0;
        for (int i = -20; i < records; i++) {
            if (i == 0) {
                start = System.nanoTime();
            }
            String id = "raw.0." + (i + 20);
            client.send(HttpRequest.newBuilder(URI.create(base + "?ref_id=" + id)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            client.send(HttpRequest.newBuilder(URI.create(base + id + "/"))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"priority\":\"1\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.discarding());
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }
}
