package dev.bulwark.dispatcher.bench;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Messages per second through the packaged dispatcher ({@code update_applied_control}: one search and one PATCH per
 * message, each with a {@code message_id}, so two Redis calls too) against a target that answers at once, next to a
 * raw Kafka consumer reading the same topic on the same broker in the same run. Only the second half of the messages
 * is timed: the first warms the dispatcher's JVM up. Run with {@code -Pbench}.
 */
class DispatchThroughputBench {

    private static final int MESSAGES = Integer.getInteger("bench.dispatch.messages", 20_000);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    private static final int WARM_UP = MESSAGES / 2;

    @Test
    void dispatcherThroughputNextToARawConsumer() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench-observation-" + run;
        produce(topic, run);

        double raw = rawConsumerRate(topic);

        AtomicLong patches = new AtomicLong();
        AtomicLong firstPatch = new AtomicLong();
        AtomicLong lastPatch = new AtomicLong();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        target.setExecutor(Executors.newFixedThreadPool(16));
        target.createContext("/api/applied-controls/", exchange -> {
            String body = "{}";
            if ("GET".equals(exchange.getRequestMethod())) {
                body = "{\"count\":1,\"next\":null,\"results\":[{\"id\":\"bench\"}]}";
            } else {
                long now = System.nanoTime();
                // The first half warms the dispatcher's JVM (its JIT compiles for ~20 s of this load); the second is timed.
                if (patches.incrementAndGet() == WARM_UP + 1) {
                    firstPatch.set(now);
                }
                lastPatch.set(now);
            }
            BenchDispatcher.respond(exchange, body);
        });
        target.start();
        Process dispatcher = null;
        try {
            dispatcher = BenchDispatcher.start(topic, run, CONCURRENCY, target.getAddress().getPort());
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> patches.get() >= MESSAGES);
        } finally {
            BenchDispatcher.stop(dispatcher);
            target.stop(0);
        }
        double dispatched = (MESSAGES - WARM_UP - 1) / ((lastPatch.get() - firstPatch.get()) / 1e9);
        BenchDispatcher.machine(MESSAGES + " messages (the last " + (MESSAGES - WARM_UP) + " timed), concurrency "
                + CONCURRENCY);
        System.out.printf("BENCH raw Kafka consumer:           %,.0f msg/s%n", raw);
        System.out.printf("BENCH dispatcher (search + PATCH):  %,.0f msg/s%n", dispatched);
        System.out.printf("BENCH ratio dispatcher / raw:       %.4f%n%n", dispatched / raw);
        System.out.printf("BENCH|dispatcher|kafka-to-patch|value=%.0f|unit=msg/s|raw=raw-kafka-consumer%n"
                + "BENCH|dispatcher|raw-kafka-consumer|value=%.0f|unit=msg/s%n", dispatched, raw);
        assertThat(dispatched, greaterThan(0.0));
    }

    private static void produce(String topic, String run) {
        try (KafkaProducer<String, String> producer = BenchDispatcher.producer()) {
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(new ProducerRecord<>(topic, "control-" + (i % 64),
                        BenchDispatcher.updateAppliedControl("r-" + i, "bench-" + run + "-" + i)));
            }
            producer.flush();
        }
    }

    /** A plain consumer of a fresh group reading the whole topic: the ceiling for any Kafka consumer here. */
    private static double rawConsumerRate(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BenchDispatcher.BOOTSTRAP);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long count = 0;
            long firstBatch = 0;
            long first = 0;
            long last = 0;
            while (count < MESSAGES) {
                int polled = consumer.poll(Duration.ofMillis(500)).count();
                if (polled > 0) {
                    last = System.nanoTime();
                    if (first == 0) {
                        first = last;
                        firstBatch = polled;
                    }
                    count += polled;
                }
            }
            if (count == firstBatch) {
                throw new IllegalStateException("the raw consumer read all " + count + " messages in one poll: too few "
                        + "to time (-Dbench.dispatch.messages)");
            }
            // Timed from the first batch's arrival, as the dispatcher is timed from its first PATCH.
            return (count - firstBatch) / Math.max((last - first) / 1e9, 1e-3);
        }
    }
}
