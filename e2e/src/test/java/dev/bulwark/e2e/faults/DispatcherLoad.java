package dev.bulwark.e2e.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Records for dispatcher-service on Kafka topic {@code observation}, alternately {@code send_message} (→ the backbone's
 * {@code POST /api/v1/send} as the dispatcher's declared client → the inbox) and {@code lookup_observables} (→ the
 * relay's {@code POST /observe/observables} → a reply on Kafka topic {@code faults.replies}). Accepted = the broker
 * acknowledged the record (acks=all, idempotent producer); completed = it reached its target's receiver. Dead letters
 * (topic {@code errors}) of these records are kept as the reason of a loss.
 */
final class DispatcherLoad extends Load {

    private static final String REPLY_TOPIC = "faults.replies";
    private static final Pattern OUR_ID = Pattern.compile("dp-[A-Za-z0-9_.-]+");

    private final Inbox inbox;
    private final KafkaProducer<String, String> producer;
    private final Map<String, List<Instant>> replies = new ConcurrentHashMap<>();
    private final Map<String, String> deadLetters = new ConcurrentHashMap<>();
    private final Thread consumerThread;
    private volatile boolean running = true;
    private Tally toBackbone;
    private Tally toRelay;
    private boolean lookup;

    DispatcherLoad(Inbox inbox, String suffix) {
        super("dp", Duration.ofMillis(200));
        this.inbox = inbox;
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-suite-" + suffix);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer());
        consumerThread = new Thread(() -> consume(consumer), "dispatcher-replies");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    private void consume(KafkaConsumer<String, String> consumer) {
        try (consumer) {
            consumer.subscribe(List.of(REPLY_TOPIC, "errors"));
            while (running) {
                var records = consumer.poll(Duration.ofMillis(500));
                Instant now = Instant.now();
                for (ConsumerRecord<String, String> record : records) {
                    if (record.topic().equals(REPLY_TOPIC)) {
                        String id = field(record.value(), "message_id");
                        if (id != null) {
                            replies.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(now);
                        }
                    } else if (record.value() != null) {
                        Matcher ours = OUR_ID.matcher(record.value());
                        if (ours.find()) {
                            deadLetters.put(ours.group(), record.value().substring(0,
                                    Math.min(300, record.value().length())));
                        }
                    }
                }
            }
        }
    }

    private static String field(String json, String name) {
        try {
            JsonNode node = Suite.JSON.readTree(json);
            return node.hasNonNull(name) ? node.get(name).asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    void start(String scenario) {
        toBackbone = new Tally("dispatcher records → backbone");
        toRelay = new Tally("dispatcher records → relay");
        super.start(scenario);
    }

    @Override
    List<Tally> tallies() {
        return List.of(toBackbone, toRelay);
    }

    @Override
    protected void produce(String id) {
        lookup = !lookup;
        Tally tally = lookup ? toRelay : toBackbone;
        Map<String, Object> values = lookup
                ? Map.of("observables", List.of(Map.of("type", "ip", "value", "203.0.113.66")), "replyTopic", REPLY_TOPIC)
                : Map.of("topic", "faults.dispatch", "payload", Map.of("id", id));
        String value;
        try {
            value = Suite.JSON.writeValueAsString(Map.of("message_type", lookup ? "lookup_observables" : "send_message",
                    "message_id", id, "values", values));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Instant asked = Instant.now();
        try {
            producer.send(new ProducerRecord<>("observation", id, value), (metadata, error) -> {
                if (error == null) {
                    tally.accepted(id, asked);
                } else {
                    tally.refused();
                }
            });
        } catch (RuntimeException e) {
            tally.refused(); // no metadata within max.block.ms: the broker is away
        }
    }

    @Override
    void check() {
        inbox.collect(toBackbone, false);
        collectReplies(false);
        for (Tally tally : tallies()) {
            for (String id : tally.pending()) {
                if (deadLetters.containsKey(id)) {
                    tally.failed(id, "dead-lettered: " + deadLetters.get(id));
                }
            }
        }
    }

    private void collectReplies(boolean all) {
        for (String id : all ? toRelay.acceptedIds() : toRelay.pending()) {
            List<Instant> times = replies.get(id);
            if (times != null && !times.isEmpty()) {
                toRelay.delivered(id, times.get(0), times.size());
            }
        }
    }

    @Override
    void stop() throws InterruptedException {
        super.stop();
        producer.flush();
    }

    @Override
    void finish() {
        inbox.collect(toBackbone, true);
        collectReplies(true);
    }

    @Override
    public void close() {
        running = false;
        producer.close(Duration.ofSeconds(10));
        try {
            consumerThread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
