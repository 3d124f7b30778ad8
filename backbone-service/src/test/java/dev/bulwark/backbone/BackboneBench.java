package dev.bulwark.backbone;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import dev.bulwark.common.testing.WorkflowServiceProcess;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.Test;

/**
 * REST send → receive against raw AMQP publish → consume on the same broker, in the same run, with the same
 * durability (durable queues, persistent messages, publisher confirms awaited per message, manual acks), for
 * 1 KiB messages and 4 clients: each client sends to the next one's topic and long-polls its own inbox. Then it
 * probes the broker's confirm latency by queue arguments and consumer behaviour ({@link #confirmProbe}).
 * Run with {@code ./mvnw -B verify -pl backbone-service -Pbench}; {@code -Dbench.messages=N} per client,
 * {@code -Dbench.warmup=N} unmeasured sends per client first.
 */
class BackboneBench {

    private static final int CLIENTS = 4;
    private static final int MESSAGES = Integer.getInteger("bench.messages", 2000);
    /**
     * After 200 per client the service still ran much of its request path unoptimised (its JIT compilers took a
     * third of the two shared cores through the measured run); after 2000 the REST rate measured was about double.
     */
    private static final int WARMUP = Integer.getInteger("bench.warmup", 2000);
    private static final int BATCH = 50;
    private static final int PROBE = 300;
    private static final String PAD = "x".repeat(1000);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One measured run. */
    record Result(String name, int messages, double seconds, long[] latenciesMicros) {
        double perSecond() {
            return messages / seconds;
        }

        long percentile(double p) {
            long[] sorted = latenciesMicros.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }

        /** bench.sh's machine-readable line. */
        String bench(String measure, String rawMeasure) {
            return String.format("BENCH|backbone|%s|value=%.0f|unit=msg/s|p50_ms=%.2f|p99_ms=%.2f%s", measure,
                    perSecond(), percentile(0.50) / 1000.0, percentile(0.99) / 1000.0,
                    rawMeasure == null ? "" : "|raw=" + rawMeasure);
        }

        String row() {
            return String.format("| %s | %d | %.2f | %.0f | %.1f | %.1f |", name, messages, seconds, perSecond(),
                    percentile(0.50) / 1000.0, percentile(0.99) / 1000.0);
        }
    }

    @Test
    void restSendReceiveAgainstRawAmqp() throws Exception {
        try (WorkflowServiceProcess issuer = WorkflowServiceProcess.start();
             BackboneProcess backbone = new BackboneProcess(issuer,
                     Map.of("BULWARK_BACKBONE_INBOX_MAX_LENGTH", "1000000")).start()) {
            String root = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            String admin = issuer.adminToken();
            List<String> tokens = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                JsonPath client = BackboneRestartIT.register(backbone.url(), admin, List.of(root + ".c" + i),
                        List.of(root + ".#"));
                ids.add(client.getString("clientId"));
                tokens.add(issuer.clientCredentialsToken(client.getString("clientId"), client.getString("secret")));
            }
            Rest rest = new Rest(backbone.url(), root, tokens);
            rest.run("warm-up", WARMUP, 1);
            Result single = rest.run("REST send → receive", MESSAGES, 1);
            Result batched = rest.run("REST send/batch (" + BATCH + ") → receive", MESSAGES, BATCH);
            Result raw = rawAmqp(root);
            Result rawBatched = rawAmqpConfirmBatch(root);
            List<String> probe = confirmProbe(root);
            for (String id : ids) {
                given().baseUri(backbone.url()).auth().oauth2(admin).when().delete("/api/v1/clients/" + id)
                        .then().statusCode(200);
            }

            String report = String.join("\n",
                    "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                            + Files.readString(Path.of("/proc/loadavg")).trim() + ", " + System.getProperty("java.vm.name")
                            + " " + System.getProperty("java.version") + ", REST warm-up " + WARMUP
                            + " messages per client",
                    "",
                    "| run | messages | seconds | msg/s | p50 ms | p99 ms |",
                    "|---|---|---|---|---|---|",
                    single.row(), batched.row(), raw.row(), rawBatched.row(),
                    "",
                    String.format("REST ÷ raw AMQP throughput (per-message confirms): %.2f", single.perSecond() / raw.perSecond()),
                    String.format("REST batch ÷ raw AMQP batch confirms: %.2f", batched.perSecond() / rawBatched.perSecond()),
                    "",
                    "Broker confirm latency: one publisher, confirm each, " + PROBE + " persistent 1 KiB messages to one queue",
                    "",
                    "| queue | consumer | confirm p50 ms | p90 ms | p99 ms |",
                    "|---|---|---|---|---|",
                    String.join("\n", probe));
            System.out.println("\n" + report + "\n");
            System.out.println(String.join("\n", single.bench("rest-send-receive", "amqp-confirm-each"),
                    batched.bench("rest-batch", "amqp-confirm-batch"), raw.bench("amqp-confirm-each", null),
                    rawBatched.bench("amqp-confirm-batch", null)));
            Files.writeString(Path.of("target", "bench-results.md"), report + "\n");
        }
    }

    /** The REST side: one sender and one long-polling receiver thread per client. */
    private static final class Rest {
        // Apache HttpClient writes head and body in one flush with TCP_NODELAY; the JDK client's separate writes
        // stalled requests on the server waiting for their bodies, which measured the client, not the backbone.
        private final CloseableHttpClient http = HttpClients.custom().setMaxConnPerRoute(4 * CLIENTS)
                .setMaxConnTotal(4 * CLIENTS).build();
        private final String url;
        private final String root;
        private final List<String> tokens;

        Rest(String url, String root, List<String> tokens) {
            this.url = url;
            this.root = root;
            this.tokens = tokens;
        }

        Result run(String name, int perClient, int batch) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2 * CLIENTS);
            long[] latencies = new long[perClient * CLIENTS];
            AtomicInteger index = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String token = tokens.get(i);
                String topic = root + ".c" + ((i + 1) % CLIENTS);
                work.add(pool.submit(() -> send(token, topic, perClient, batch)));
                work.add(pool.submit(() -> receive(token, perClient, latencies, index)));
            }
            for (Future<?> future : work) {
                future.get(10, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            return new Result(name, perClient * CLIENTS, seconds, latencies);
        }

        private Void send(String token, String topic, int count, int batch) throws Exception {
            for (int sent = 0; sent < count; sent += batch) {
                StringBuilder body = new StringBuilder(batch == 1 ? "" : "{\"messages\":[");
                for (int j = 0; j < batch; j++) {
                    body.append(j == 0 ? "" : ",").append("{\"topic\":\"").append(topic)
                            .append("\",\"payload\":{\"t\":").append(System.nanoTime()).append(",\"pad\":\"")
                            .append(PAD).append("\"}}");
                }
                body.append(batch == 1 ? "" : "]}");
                HttpPost post = new HttpPost(url + (batch == 1 ? "/api/v1/send" : "/api/v1/send/batch"));
                post.setHeader("Authorization", "Bearer " + token);
                post.setEntity(new StringEntity(body.toString(), ContentType.APPLICATION_JSON));
                try (CloseableHttpResponse response = http.execute(post)) {
                    String answer = EntityUtils.toString(response.getEntity());
                    if (response.getStatusLine().getStatusCode() != 202) {
                        throw new IllegalStateException("send answered " + answer);
                    }
                }
            }
            return null;
        }

        private Void receive(String token, int count, long[] latencies, AtomicInteger index) throws Exception {
            int received = 0;
            while (received < count) {
                HttpGet get = new HttpGet(url + "/api/v1/receive?max=100&wait=5");
                get.setHeader("Authorization", "Bearer " + token);
                byte[] body;
                long now;
                try (CloseableHttpResponse response = http.execute(get)) {
                    body = EntityUtils.toByteArray(response.getEntity());
                    now = System.nanoTime();
                    if (response.getStatusLine().getStatusCode() != 200) {
                        throw new IllegalStateException("receive answered " + response.getStatusLine());
                    }
                }
                for (JsonNode message : JSON.readTree(body).get("messages")) {
                    latencies[index.getAndIncrement()] = (now - message.get("payload").get("t").asLong()) / 1000;
                    received++;
                }
            }
            return null;
        }
    }

    /**
     * Does the broker hold a persistent message's confirm until a consumer acked it (or until a disk sync), and do
     * the inbox's arguments change that? Confirm-each latency on a plain queue and on one declared like an inbox,
     * with a consumer acking at once, one acking 20 ms after each delivery (a receive writing its response first),
     * and none.
     */
    private static List<String> confirmProbe(String root) throws Exception {
        // As Topology declares an inbox (max length, TTL and dead-lettering from the default config).
        Map<String, Object> inbox = Map.of("x-max-length", 10000, "x-overflow", "drop-head",
                "x-message-ttl", 604_800_000L, "x-dead-letter-exchange", root + ".probe.dlx",
                "x-dead-letter-routing-key", "probe");
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        List<String> rows = new ArrayList<>();
        ScheduledExecutorService acker = Executors.newSingleThreadScheduledExecutor();
        try (Connection connection = factory.newConnection("backbone-bench-probe")) {
            for (Map.Entry<String, Map<String, Object>> queue : List.of(Map.entry("plain", Map.<String, Object>of()),
                    Map.entry("inbox arguments", inbox))) {
                for (int ackAfterMillis : new int[] {0, 20, -1}) {
                    String name = root + ".probe";
                    try (Channel setup = connection.createChannel();
                         Channel consumer = connection.createChannel();
                         Channel publisher = connection.createChannel()) {
                        setup.queueDeclare(name, true, false, false, queue.getValue());
                        if (ackAfterMillis >= 0) {
                            consumer.basicQos(100);
                            consumer.basicConsume(name, false, new DefaultConsumer(consumer) {
                                @Override
                                public void handleDelivery(String tag, Envelope envelope,
                                                           AMQP.BasicProperties properties, byte[] body) {
                                    acker.schedule(() -> {
                                        consumer.basicAck(envelope.getDeliveryTag(), false);
                                        return null;
                                    }, ackAfterMillis, TimeUnit.MILLISECONDS);
                                }
                            });
                        }
                        publisher.confirmSelect();
                        byte[] body = ("{\"pad\":\"" + PAD + "\"}").getBytes(StandardCharsets.UTF_8);
                        long[] micros = new long[PROBE];
                        for (int i = 0; i < PROBE; i++) {
                            long start = System.nanoTime();
                            publisher.basicPublish("", name, MessageProperties.PERSISTENT_BASIC, body);
                            publisher.waitForConfirmsOrDie(5000);
                            micros[i] = (System.nanoTime() - start) / 1000;
                        }
                        Result result = new Result("", PROBE, 1, micros);
                        String acks = ackAfterMillis < 0 ? "none" : ackAfterMillis == 0 ? "acks at once"
                                : "acks " + ackAfterMillis + " ms after delivery";
                        rows.add(String.format("| %s | %s | %.1f | %.1f | %.1f |", queue.getKey(), acks,
                                result.percentile(0.5) / 1000.0, result.percentile(0.9) / 1000.0,
                                result.percentile(0.99) / 1000.0));
                        setup.queueDelete(name);
                    }
                }
            }
        } finally {
            acker.shutdownNow();
        }
        return rows;
    }

    private static Result rawAmqp(String root) throws Exception {
        return raw("raw AMQP publish (confirm each) → consume", root + ".raw", 1);
    }

    private static Result rawAmqpConfirmBatch(String root) throws Exception {
        return raw("raw AMQP publish (confirm per " + BATCH + ") → consume", root + ".rawbatch", BATCH);
    }

    /** The baseline: the same topology shape, durability, message size and concurrency, without the backbone. */
    private static Result raw(String name, String prefix, int confirmEvery) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        try (Connection connection = factory.newConnection("backbone-bench")) {
            String exchange = prefix + ".exchange";
            try (Channel setup = connection.createChannel()) {
                setup.exchangeDeclare(exchange, "topic", true);
                for (int i = 0; i < CLIENTS; i++) {
                    setup.queueDeclare(prefix + ".q" + i, true, false, false, Map.of());
                    setup.queueBind(prefix + ".q" + i, exchange, "c" + i);
                }
            }
            long[] latencies = new long[MESSAGES * CLIENTS];
            AtomicInteger index = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(MESSAGES * CLIENTS);
            List<Channel> consumers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Channel channel = connection.createChannel();
                channel.basicQos(100);
                channel.basicConsume(prefix + ".q" + i, false, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                               byte[] body) throws java.io.IOException {
                        long now = System.nanoTime();
                        latencies[index.getAndIncrement()] = (now - JSON.readTree(body).get("t").asLong()) / 1000;
                        channel.basicAck(envelope.getDeliveryTag(), false);
                        done.countDown();
                    }
                });
                consumers.add(channel);
            }
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            long start = System.nanoTime();
            List<Future<?>> publishers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String key = "c" + ((i + 1) % CLIENTS);
                publishers.add(pool.submit(() -> {
                    try (Channel channel = connection.createChannel()) {
                        channel.confirmSelect();
                        for (int n = 1; n <= MESSAGES; n++) {
                            byte[] body = ("{\"t\":" + System.nanoTime() + ",\"pad\":\"" + PAD + "\"}")
                                    .getBytes(StandardCharsets.UTF_8);
                            channel.basicPublish(exchange, key, MessageProperties.PERSISTENT_BASIC, body);
                            if (n % confirmEvery == 0) {
                                channel.waitForConfirmsOrDie(5000);
                            }
                        }
                        channel.waitForConfirmsOrDie(5000);
                    }
                    return null;
                }));
            }
            for (Future<?> publisher : publishers) {
                publisher.get(10, TimeUnit.MINUTES);
            }
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("raw consumers did not get every message");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            for (Channel channel : consumers) {
                channel.close();
            }
            try (Channel cleanup = connection.createChannel()) {
                for (int i = 0; i < CLIENTS; i++) {
                    cleanup.queueDelete(prefix + ".q" + i);
                }
                cleanup.exchangeDelete(exchange);
            }
            return new Result(name, MESSAGES * CLIENTS, seconds, latencies);
        }
    }
}
