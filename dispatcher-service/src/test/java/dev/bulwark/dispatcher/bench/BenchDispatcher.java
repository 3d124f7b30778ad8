package dev.bulwark.dispatcher.bench;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the dispatcher benchmarks share: the packaged dispatcher as a process, a producer, the target's answers. */
final class BenchDispatcher {

    static final String BOOTSTRAP = "localhost:9092";

    private BenchDispatcher() {
    }

    /** The packaged dispatcher reading {@code topic} with {@code concurrency} lanes, its GRC API on the target. */
    static Process start(String topic, String run, int concurrency, int targetPort) throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~40 ms a call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        return new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dquarkus.http.port=0",
                "-Dquarkus.log.level=WARN",
                "-Dbulwark.dispatcher.topics=" + topic,
                "-Dbulwark.dispatcher.group-id=bench-dispatcher-" + run,
                "-Dbulwark.dispatcher.errors-topic=bench-errors-" + run,
                "-Dbulwark.dispatcher.idempotency.key-prefix=bulwark:bench:" + run + ":done:",
                "-Dbulwark.dispatcher.idempotency.ttl=PT1H",
                "-Dbulwark.dispatcher.concurrency=" + concurrency,
                "-Dbulwark.dispatcher.grc.api-url=http://127.0.0.1:" + targetPort + "/api",
                "-Dbulwark.dispatcher.grc.token=bench",
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString()))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "bench-dispatcher-" + run + ".log").toFile())
                .start();
    }

    static void stop(Process dispatcher) throws InterruptedException {
        if (dispatcher != null) {
            dispatcher.destroy();
            dispatcher.waitFor();
        }
    }

    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props);
    }

    /** An {@code update_applied_control} message selecting {@code refId}. */
    static String updateAppliedControl(String refId, String messageId) {
        return "{\"message_type\":\"update_applied_control\",\"selector\":{\"ref_id\":\"" + refId
                + "\"},\"values\":{\"priority\":\"1\"},\"message_id\":\"" + messageId + "\"}";
    }

    static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void machine(String what) {
        System.out.printf("%nBENCH machine: %d cores, %s %s, load average %.1f; broker %s; %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("java.version"),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), BOOTSTRAP,
                what);
    }
}
