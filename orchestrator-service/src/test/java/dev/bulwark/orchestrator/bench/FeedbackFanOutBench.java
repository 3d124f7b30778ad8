package dev.bulwark.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackStreams;
import dev.bulwark.orchestrator.run.persistence.TestRun;
import dev.bulwark.orchestrator.run.persistence.TesterSession;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.SseClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Fan-out of feedback to {@value #CLIENTS} concurrent SSE clients (publish through the service's Redis stream +
 * channel, delivered by the service over SSE), next to raw Redis PUBLISH → SUBSCRIBE to the same number of
 * subscriber connections on the same server, in the same run. Not part of the default build: {@code -Pbench}.
 */
@QuarkusTest
class FeedbackFanOutBench {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 100);
    private static final int EVENTS = Integer.getInteger("bench.events", 2000);
    /** Paced phase: a rate both paths sustain, so its latencies show the path and not a queue. */
    private static final int PACED_EVENTS = 300;
    private static final int PACED_RATE = 100;

    @Inject
    FeedbackStreams streams;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisHosts;

    /** What one side of the comparison measured. */
    record Result(String name, double eventsPerSecond, double p50Millis, double p99Millis, long delivered) {
    }

    @Test
    void sseFanOutNextToRawRedisPubSub() throws Exception {
        List<Result> results = List.of(rawRedis(EVENTS, 0), sse(EVENTS, 0), rawRedis(PACED_EVENTS, PACED_RATE),
                sse(PACED_EVENTS, PACED_RATE));
        System.out.printf("%n=== feedback fan-out to %d clients, %d cores, Java %s ===%n", CLIENTS,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (Result r : results) {
            System.out.printf("%-58s %10.0f deliveries/s   p50 %7.2f ms   p99 %7.2f ms   (%d delivered)%n",
                    r.name(), r.eventsPerSecond(), r.p50Millis(), r.p99Millis(), r.delivered());
        }
        for (int i = 0; i < results.size(); i += 2) {
            Result raw = results.get(i);
            Result sse = results.get(i + 1);
            System.out.printf("ratio service / raw (%s): throughput %.2f, p50 latency %.2fx, p99 latency %.2fx%n",
                    i == 0 ? "burst" : "paced", sse.eventsPerSecond() / raw.eventsPerSecond(),
                    sse.p50Millis() / raw.p50Millis(), sse.p99Millis() / raw.p99Millis());
            assertThat(sse.delivered()).isEqualTo(raw.delivered());
            String mode = i == 0 ? "burst" : "paced";
            System.out.printf("BENCH|orchestrator|sse-%s|value=%.0f|unit=deliveries/s|p50_ms=%.2f|p99_ms=%.2f"
                    + "|raw=redis-pubsub-%s%nBENCH|orchestrator|redis-pubsub-%s|value=%.0f|unit=deliveries/s|p50_ms=%.2f"
                    + "|p99_ms=%.2f%n", mode, sse.eventsPerSecond(), sse.p50Millis(), sse.p99Millis(), mode, mode,
                    raw.eventsPerSecond(), raw.p50Millis(), raw.p99Millis());
        }
        System.out.println();
        assertThat(results.get(1).delivered()).isEqualTo((long) CLIENTS * EVENTS);
    }

    private static String label(String path, int events, int rate) {
        return path + (rate == 0 ? ", burst of " + events : ", " + events + " at " + rate + "/s");
    }

    /** Waits (without sleeping past it) until event {@code i} is due; no wait in burst mode. */
    private static void pace(long start, int i, int rate) {
        if (rate > 0) {
            long due = start + i * 1_000_000_000L / rate;
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                LockSupport.parkNanos(due - now);
            }
        }
    }

    private Result sse(int events, int rate) throws Exception {
        UUID run = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            TestRun record = new TestRun();
            record.id = run;
            record.org = TestTokens.ORG;
            record.createdBy = "bench";
            record.origin = "api";
            record.jobType = "Api";
            record.target = "http://127.0.0.1:1";
            record.medium = "sse";
            record.status = TestRun.Status.FAILED;
            record.createdAt = Instant.now();
            record.persist();
            TesterSession session = new TesterSession();
            session.runId = run;
            session.tester = "app";
            session.sessionId = "bench";
            session.status = TesterSession.Status.RUNNING;
            session.persist();
        });
        String url = "http://localhost:" + RestAssured.port + "/api/v1/test-runs/" + run + "/feedback/app";
        String token = TestTokens.withRoles(Roles.READER);
        List<long[]> latencies = new ArrayList<>();
        CountDownLatch warm = new CountDownLatch(CLIENTS);
        CountDownLatch done = new CountDownLatch(CLIENTS);
        AtomicLong lastReceipt = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long[] mine = new long[events];
            latencies.add(mine);
            Thread client = new Thread(() -> {
                try (SseClient sse = SseClient.connect(url, token, null)) {
                    int n = 0;
                    for (SseClient.Event e = sse.next(); e != null && !e.name().equals("end"); e = sse.next()) {
                        long now = System.nanoTime();
                        var data = Runs.read(e.data()).path("data");
                        if (data.has("warmup")) {
                            warm.countDown();
                        } else if (data.has("sentNanos")) {
                            mine[n++] = now - data.path("sentNanos").asLong();
                            lastReceipt.accumulateAndGet(now, Math::max);
                        }
                    }
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                } finally {
                    done.countDown();
                }
            });
            client.start();
            clients.add(client);
        }
        String runId = run.toString();
        publish(runId, FeedbackEvent.Type.progress, Map.of("warmup", true));
        assertThat(warm.await(60, TimeUnit.SECONDS)).as("all SSE clients connected").isTrue();
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            pace(start, i, rate);
            publish(runId, FeedbackEvent.Type.progress, Map.of("message", "event " + i, "sentNanos",
                    System.nanoTime()));
        }
        publish(runId, FeedbackEvent.Type.finished, Map.of("findings", 0, "testerDone", true, "runDone", true));
        assertThat(done.await(120, TimeUnit.SECONDS)).as("all SSE streams ended").isTrue();
        for (Thread client : clients) {
            client.join();
        }
        streams.delete(List.of("bulwark:run:" + runId + ":tester:app"));
        return summarise(label("service: stream + channel → SSE", events, rate), latencies, start, lastReceipt.get());
    }

    private void publish(String run, FeedbackEvent.Type type, Map<String, Object> data) {
        streams.publish(new FeedbackEvent(null, run, "app", "bench", type, Instant.now(), new LinkedHashMap<>(data)));
    }

    private Result rawRedis(int events, int rate) throws Exception {
        String channel = "bench:raw:" + UUID.randomUUID();
        String host = redisHosts.replaceFirst("^redis://", "").replaceFirst("/.*$", "");
        String hostname = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        int port = host.contains(":") ? Integer.parseInt(host.substring(host.lastIndexOf(':') + 1)) : 6379;
        List<long[]> latencies = new ArrayList<>();
        CountDownLatch subscribed = new CountDownLatch(CLIENTS);
        CountDownLatch done = new CountDownLatch(CLIENTS);
        AtomicLong lastReceipt = new AtomicLong();
        for (int c = 0; c < CLIENTS; c++) {
            long[] mine = new long[events];
            latencies.add(mine);
            new Thread(() -> {
                try (Socket socket = new Socket(hostname, port)) {
                    OutputStream out = socket.getOutputStream();
                    out.write(command("SUBSCRIBE", channel));
                    out.flush();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    readReply(in);
                    subscribed.countDown();
                    int n = 0;
                    while (true) {
                        List<String> message = readReply(in);
                        long now = System.nanoTime();
                        String payload = message.get(2);
                        if (payload.equals("end")) {
                            break;
                        }
                        var data = Runs.read(payload).path("data");
                        mine[n++] = now - data.path("sentNanos").asLong();
                        lastReceipt.accumulateAndGet(now, Math::max);
                    }
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                } finally {
                    done.countDown();
                }
            }).start();
        }
        assertThat(subscribed.await(60, TimeUnit.SECONDS)).isTrue();
        long start;
        try (Socket socket = new Socket(hostname, port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                pace(start, i, rate);
                String payload = Runs.JSON.writeValueAsString(new FeedbackEvent(null, "run", "app", "bench",
                        FeedbackEvent.Type.progress, Instant.now(), Map.of("message", "event " + i, "sentNanos",
                        System.nanoTime())));
                out.write(command("PUBLISH", channel, payload));
                out.flush();
                readLine(in);
            }
            out.write(command("PUBLISH", channel, "end"));
            out.flush();
            readLine(in);
        }
        assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
        return summarise(label("raw Redis PUBLISH → SUBSCRIBE", events, rate), latencies, start, lastReceipt.get());
    }

    private static Result summarise(String name, List<long[]> latencies, long start, long end) {
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(l -> l > 0).sorted().toArray();
        double seconds = (end - start) / 1e9;
        return new Result(name, all.length / seconds, all[all.length / 2] / 1e6,
                all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6, all.length);
    }

    private static byte[] command(String... parts) {
        StringBuilder resp = new StringBuilder("*" + parts.length + "\r\n");
        for (String part : parts) {
            resp.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part)
                    .append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one RESP array of bulk strings or integers (what SUBSCRIBE pushes). */
    private static List<String> readReply(InputStream in) throws IOException {
        String header = readLine(in);
        int count = Integer.parseInt(header.substring(1));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String line = readLine(in);
            if (line.startsWith("$")) {
                byte[] bulk = in.readNBytes(Integer.parseInt(line.substring(1)));
                readLine(in);
                items.add(new String(bulk, StandardCharsets.UTF_8));
            } else {
                items.add(line.substring(1));
            }
        }
        return items;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\r') {
                in.read();
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        throw new IOException("Redis closed the connection");
    }
}
