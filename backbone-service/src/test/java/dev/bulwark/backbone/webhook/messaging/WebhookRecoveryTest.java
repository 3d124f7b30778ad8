package dev.bulwark.backbone.webhook.messaging;

import static dev.bulwark.backbone.TestClients.register;
import static dev.bulwark.backbone.TestClients.send;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.AMQConnection;
import com.rabbitmq.client.impl.recovery.AutorecoveringConnection;
import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.broker.messaging.BrokerConnection;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker drops the backbone's consuming connection (as in a RabbitMQ outage; the shared test broker cannot be
 * restarted, so the connection is closed from the broker side with {@code rabbitmqctl close_connection}). The
 * test profile reconciles every second, longer than the old automatic recovery took, which is what made pushing
 * stop for good after an outage longer than the reconcile interval.
 */
@QuarkusTest
class WebhookRecoveryTest {

    private static final Pattern CONNECTION = Pattern.compile("^(<[^>]+>)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    @Inject
    BrokerConnection broker;

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    @Test
    void pushingResumesByItselfAfterTheBrokerDroppedTheConnection() throws Exception {
        String root = TestClients.uniqueRoot();
        try (WebhookPushTest.Receiver receiver = new WebhookPushTest.Receiver(freePort()).start()) {
            register(List.of(root + ".#"), List.of(), false, receiver.url());
            TestClients.Registered sender = register(List.of(), List.of(root + ".#"), false);
            String before = send(sender, root + ".before", 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.ids().contains(before));

            for (int outage = 1; outage <= 2; outage++) {
                int port = localPort(broker.get());
                closeFromTheBroker(port);
                await().atMost(Duration.ofSeconds(20)).until(() -> localPort(broker.get()) != port);

                String after = send(sender, root + ".after" + outage, outage);
                await().atMost(Duration.ofSeconds(40)).until(() -> receiver.ids().contains(after));
            }
            assertEquals(3, receiver.ids().stream().distinct().count());
        }
    }

    private static int localPort(Connection connection) {
        Connection plain = connection instanceof AutorecoveringConnection recovering
                ? recovering.getDelegate() : connection;
        return ((AMQConnection) plain).getLocalPort();
    }

    /** Closes the broker's side of the connection whose client port is {@code port}. */
    private static void closeFromTheBroker(int port) throws IOException, InterruptedException {
        String connections = rabbitmqctl("list_connections", "pid", "peer_port");
        Matcher matcher = CONNECTION.matcher(connections);
        String pid = null;
        while (matcher.find()) {
            if (Integer.parseInt(matcher.group(2)) == port) {
                pid = matcher.group(1);
            }
        }
        if (pid == null) {
            throw new AssertionError("No broker connection from port " + port + " in:\n" + connections);
        }
        rabbitmqctl("close_connection", pid, "WebhookRecoveryTest: simulated outage");
    }

    private static String rabbitmqctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
