package dev.bulwark.dispatcher.testing;

import com.github.tomakehurst.wiremock.client.WireMock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;

/** Test access to what the running dispatcher uses: its topics on the shared Kafka, and the WireMock targets. */
public final class Fixtures {

    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private static KafkaProducer<String, String> producer;

    private Fixtures() {
    }

    public static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static WireMock ciso() {
        return wireMock(config("bulwark.dispatcher.grc.api-url"));
    }

    public static WireMock suite() {
        return wireMock(config("bulwark.dispatcher.suite.workflow-url"));
    }

    private static WireMock wireMock(String url) {
        URI uri = URI.create(url);
        return new WireMock(uri.getHost(), uri.getPort());
    }

    public static String inputTopic() {
        return config("bulwark.dispatcher.topics");
    }

    public static String errorsTopic() {
        return config("bulwark.dispatcher.errors-topic");
    }

    public static String bootstrap() {
        return config("kafka.bootstrap.servers");
    }

    /** Sends to the input topic and waits for the broker's acknowledgement. */
    public static void send(String key, String value) {
        send(key, value, Map.of());
    }

    public static synchronized void send(String key, String value, Map<String, String> headers) {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props);
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(inputTopic(), key, value);
        headers.forEach((name, v) -> record.headers().add(new RecordHeader(name, v.getBytes(StandardCharsets.UTF_8))));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot send to " + inputTopic(), e);
        }
    }

    /** The dead letters written with this key, once there are at least {@code count}. */
    public static List<ConsumerRecord<String, String>> awaitErrors(String key, int count) {
        return awaitRecords(errorsTopic(), r -> key.equals(r.key()), count);
    }

    /** Reads the topic from its beginning until {@code count} records match. */
    public static List<ConsumerRecord<String, String>> awaitRecords(String topic,
                                                                    Predicate<ConsumerRecord<String, String>> match,
                                                                    int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, unique("test-reader"));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            Awaitility.await(count + " record(s) on " + topic).atMost(PATIENCE).until(() -> {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
                if (!partitions.isEmpty() && consumer.assignment().isEmpty()) {
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                }
                if (!consumer.assignment().isEmpty()) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                        if (match.test(r)) {
                            found.add(r);
                        }
                    });
                }
                return found.size() >= count;
            });
        }
        return found;
    }
}
