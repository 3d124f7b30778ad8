package dev.bulwark.dispatcher.messaging;

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
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged dispatcher stopped mid-stream and started again on the same group: no message is lost, and the
 * messages it had already applied are not applied again. A graceful stop (SIGTERM) must give exactly once; a crash
 * (SIGKILL) may re-apply only what was in flight at that instant, at most one message per lane.
 */
class DispatcherRestartIT {

    private static final int MESSAGES = 400;
    private static final int LANES = 8;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private WireMockServer ciso;
    private final List<Process> started = new ArrayList<>();
    private String run;

    @BeforeEach
    void start() {
        run = UUID.randomUUID().toString().substring(0, 8);
        ciso = new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
        ciso.start();
        ciso.stubFor(get(urlPathEqualTo("/api/applied-controls/")).willReturn(okJson(
                "{\"count\":1,\"next\":null,\"results\":[{\"id\":\"{{request.query.ref_id}}\"}]}")));
        ciso.stubFor(patch(urlPathMatching("/api/applied-controls/.+/")).willReturn(okJson("{}").withFixedDelay(40)));
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        ciso.stop();
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

    private void produce() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < MESSAGES; i++) {
                String ref = "r-" + run + "-" + i;
                producer.send(new ProducerRecord<>(topic(), "key-" + (i % 16), "{\"message_type\":"
                        + "\"update_applied_control\",\"selector\":{\"ref_id\":\"" + ref + "\"},\"values\":"
                        + "{\"priority\":\"1\"},\"message_id\":\"m-" + run + "-" + i + "\"}"));
            }
            producer.flush();
        }
    }

    private Process dispatcher(String name) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        Path log = Path.of("target", "restart-it-" + run + "-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dquarkus.http.port=0",
                "-Dbulwark.dispatcher.topics=" + topic(),
                "-Dbulwark.dispatcher.group-id=restart-it-" + run,
                "-Dbulwark.dispatcher.errors-topic=restart-it-errors-" + run,
                "-Dbulwark.dispatcher.idempotency.key-prefix=bulwark:restart-it:" + run + ":done:",
                "-Dbulwark.dispatcher.concurrency=" + LANES,
                // A crashed member holds its partitions until its session expires (45 s by default).
                "-Dmp.messaging.incoming.observation.session.timeout.ms=10000",
                "-Dbulwark.dispatcher.grc.api-url=" + ciso.baseUrl() + "/api",
                "-Dbulwark.dispatcher.grc.token=restart-it",
                "-jar", jar.toString()));
        Files.deleteIfExists(log);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    private String topic() {
        return "restart-it-" + run;
    }

    private void awaitPatched(int atLeast) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> ciso.countRequestsMatching(patchRequestedFor(urlPathMatching("/api/applied-controls/.+/"))
                        .build()).getCount() >= atLeast);
    }

    /** Waits until every message was applied and nothing more arrives for a while; PATCHes per control. */
    private Map<String, Integer> awaitAllPatched() {
        await().atMost(PATIENCE).until(() -> patchCounts().size() == MESSAGES);
        await().during(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> patchCounts().size() == MESSAGES);
        return patchCounts();
    }

    private Map<String, Integer> patchCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (LoggedRequest request : ciso.findAll(patchRequestedFor(urlPathMatching("/api/applied-controls/.+/")))) {
            counts.merge(request.getUrl(), 1, Integer::sum);
        }
        return counts;
    }

    private static List<String> twice(Map<String, Integer> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }
}
