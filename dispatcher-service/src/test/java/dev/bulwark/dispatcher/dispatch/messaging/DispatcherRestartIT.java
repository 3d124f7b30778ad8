package dev.bulwark.dispatcher.dispatch.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged dispatcher stopped mid-stream and started again on the same group: no message is lost, and the
 * messages it had already applied are not applied again. A graceful stop (SIGTERM) must give exactly once; a crash
 * (SIGKILL) may re-apply only what was in flight at that instant, at most one message per lane. Whoever takes over
 * (the same instance restarted after a crash, or another one after a graceful stop) resumes as soon as it is up,
 * not after the old member's session timeout (45 s).
 */
class DispatcherRestartIT {

    private static final int MESSAGES = 400;
    private static final int LANES = 8;
    // Generous: on a loaded machine the packaged service has been seen to take 90 s to start.
    private static final Duration PATIENCE = Duration.ofSeconds(240);
    /** From "started" to the first record dispatched: well under the session timeout a takeover used to wait. */
    private static final Duration TAKEOVER = Duration.ofSeconds(20);
    /**
     * The takeover tests give the members a session timeout longer than the slowest start-up seen on a loaded
     * machine (~60 s), so that waiting for the old member's session can never pass for a prompt takeover.
     */
    private static final String LONG_SESSION = "-Dmp.messaging.incoming.observation.session.timeout.ms=120000";

    private WireMockServer ciso;
    private final List<WireMockServer> servers = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();
    private String run;

    @BeforeEach
    void start() {
        run = UUID.randomUUID().toString().substring(0, 8);
        ciso = target();
    }

    /** A CISO Assistant API that finds one applied control per ref_id and answers each PATCH after 40 ms. */
    private WireMockServer target() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .globalTemplating(true));
        server.start();
        server.stubFor(get(urlPathEqualTo("/api/applied-controls/")).willReturn(okJson(
                "{\"count\":1,\"next\":null,\"results\":[{\"id\":\"{{request.query.ref_id}}\"}]}")));
        server.stubFor(patch(urlPathMatching("/api/applied-controls/.+/")).willReturn(okJson("{}")
                .withFixedDelay(40)));
        servers.add(server);
        return server;
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        servers.forEach(WireMockServer::stop);
    }

    @Test
    void aGracefulRestartMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
        produce();
        Process first = dispatcher("graceful-1");
        awaitPatched(MESSAGES / 3);
        first.destroy();
        first.waitFor();
        dispatcher("graceful-2");
        Map<String, Integer> counts = awaitAllPatched();
        assertThat("applied twice", twice(counts), empty());
    }

    @Test
    void aCrashMidStreamLosesNothingAndReappliesAtMostWhatWasInFlight() throws Exception {
        produce();
        Process first = dispatcher("crash-1");
        awaitPatched(MESSAGES / 3);
        first.destroyForcibly();
        first.waitFor();
        dispatcher("crash-2");
        Map<String, Integer> counts = awaitAllPatched();
        assertThat("applied twice", twice(counts).size(), lessThanOrEqualTo(LANES));
    }

    /** Issue 16 (c): a killed instance restarted at once used to dispatch nothing until its old session expired. */
    @Test
    void aKilledInstanceRestartedResumesAtOnce() throws Exception {
        produce();
        Process first = dispatcher("kill-1", ciso, LONG_SESSION);
        awaitPatched(ciso, MESSAGES / 8);
        first.destroyForcibly();
        first.waitFor();
        WireMockServer second = target();
        Path log = log("kill-2");
        dispatcher("kill-2", second, LONG_SESSION);
        awaitTakeover(log, second);
        Map<String, Integer> counts = awaitAllPatched();
        assertThat("applied twice", twice(counts).size(), lessThanOrEqualTo(LANES));
    }

    /** A stopped static member leaves its group, so another instance gets its partitions without waiting. */
    @Test
    void anInstanceStoppedForGoodHandsItsPartitionsToAnotherAtOnce() throws Exception {
        produce();
        Process first = dispatcher("leave-1", ciso, LONG_SESSION,
                "-Dbulwark.dispatcher.group-instance-id=leave-1-" + run);
        awaitPatched(ciso, MESSAGES / 8);
        first.destroy();
        first.waitFor();
        WireMockServer second = target();
        Path log = log("leave-2");
        dispatcher("leave-2", second, LONG_SESSION, "-Dbulwark.dispatcher.group-instance-id=leave-2-" + run);
        awaitTakeover(log, second);
        assertThat("applied twice", twice(awaitAllPatched()), empty());
    }

    private void awaitTakeover(Path log, WireMockServer server) {
        await("the new instance started").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(log) && Files.readString(log).contains(" started in "));
        await("a record dispatched by the new instance").atMost(TAKEOVER).pollInterval(Duration.ofMillis(100))
                .until(() -> patched(server) > 0);
    }

    private void produce() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // A loaded machine has seen batches to the new topic expire: every record is checked and sent again if
        // its send failed (a record sent twice is one message: the dispatcher recognises its message_id).
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                pending.add(i);
            }
            for (int round = 0; round < 5 && !pending.isEmpty(); round++) {
                Map<Integer, Future<RecordMetadata>> sent = new TreeMap<>();
                for (int i : pending) {
                    String ref = "r-" + run + "-" + i;
                    sent.put(i, producer.send(new ProducerRecord<>(topic(), "key-" + (i % 16), "{\"message_type\":"
                            + "\"update_applied_control\",\"selector\":{\"ref_id\":\"" + ref + "\"},\"values\":"
                            + "{\"priority\":\"1\"},\"message_id\":\"m-" + run + "-" + i + "\"}")));
                }
                producer.flush();
                pending.clear();
                for (Map.Entry<Integer, Future<RecordMetadata>> record : sent.entrySet()) {
                    try {
                        record.getValue().get();
                    } catch (ExecutionException failed) {
                        pending.add(record.getKey());
                    }
                }
            }
            assertThat("records the broker never acknowledged", pending, empty());
        }
    }

    private Process dispatcher(String name) throws IOException {
        return dispatcher(name, ciso);
    }

    private Path log(String name) {
        return Path.of("target", "restart-it-" + run + "-" + name + ".log");
    }

    private Process dispatcher(String name, WireMockServer target, String... options) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        Path log = log(name);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dquarkus.http.port=0",
                "-Dbulwark.dispatcher.topics=" + topic(),
                "-Dbulwark.dispatcher.group-id=restart-it-" + run,
                "-Dbulwark.dispatcher.errors-topic=restart-it-errors-" + run,
                "-Dbulwark.dispatcher.idempotency.key-prefix=bulwark:restart-it:" + run + ":done:",
                "-Dbulwark.dispatcher.concurrency=" + LANES,
                "-Dbulwark.dispatcher.grc.api-url=" + target.baseUrl() + "/api",
                "-Dbulwark.dispatcher.grc.token=restart-it"));
        command.addAll(List.of(options));
        command.addAll(List.of("-jar", jar.toString()));
        Files.deleteIfExists(log);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    private String topic() {
        return "restart-it-" + run;
    }

    private void awaitPatched(int atLeast) {
        awaitPatched(ciso, atLeast);
    }

    private static void awaitPatched(WireMockServer server, int atLeast) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> patched(server) >= atLeast);
    }

    private static int patched(WireMockServer server) {
        return server.countRequestsMatching(patchRequestedFor(urlPathMatching("/api/applied-controls/.+/")).build())
                .getCount();
    }

    /** Waits until every message was applied and nothing more arrives for a while; PATCHes per control. */
    private Map<String, Integer> awaitAllPatched() {
        await().atMost(PATIENCE).until(() -> patchCounts().size() == MESSAGES);
        await().during(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> patchCounts().size() == MESSAGES);
        return patchCounts();
    }

    private Map<String, Integer> patchCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (WireMockServer server : servers) {
            for (LoggedRequest request : server.findAll(
                    patchRequestedFor(urlPathMatching("/api/applied-controls/.+/")))) {
                counts.merge(request.getUrl(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static List<String> twice(Map<String, Integer> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }
}
