package dev.bulwark.backbone.message.api;

import static dev.bulwark.backbone.TestClients.register;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.TestClients.Registered;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.broker.messaging.Topology;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A receive whose connection is cut while the response is being written loses no message, nor does a client that
 * stops receiving while its inbox session holds messages.
 */
@QuarkusTest
class ReceiveFailureTest {

    private static final int MESSAGES = 40;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Topology topology;

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    @Test
    void aReceiveCutMidResponseLeavesEveryMessageInTheInbox() throws Exception {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        // 40 messages of 256 KiB: a 10 MiB body, more than the kernel buffers between a client that stops reading
        // and the server can absorb, so the server is still writing when the connection is reset.
        List<String> sent = sendBig(sender, root);

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/receive?max=" + MESSAGES + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + receiver.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] start = in.readNBytes(2048);
            String head = new String(start, StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(head.contains("{\"messages\":["), "the body had started: " + head);
            socket.setSoLinger(true, 0);
        }

        List<String> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            received.addAll(TestClients.ids(TestClients.receive(receiver, 10)));
            return received.size() >= MESSAGES;
        });
        assertEquals(sent, received);
    }

    @Test
    void aFirstReceiveWithoutWaitReturnsEveryMessageItCountedEvenWhenTheyArriveSlowly() {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        List<String> sent = sendBig(sender, root);
        // The broker pushes 10 MiB to the new inbox session over a while; the receive counted 40 and answers 40
        // (it had answered the part already buffered when it arrived).
        assertEquals(sent, TestClients.ids(TestClients.receive(receiver, MESSAGES)));
    }

    @Test
    void messagesHeldForAClientThatStoppedReceivingGoBackToTheInbox() {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(TestClients.send(sender, root + ".held", Map.of("n", i)));
        }
        assertEquals(sent.subList(0, 1), TestClients.ids(TestClients.receive(receiver, 1)));

        // The receiver's session was handed the other four; once it idles out they are ready in the inbox again.
        await().atMost(Duration.ofSeconds(15)).until(() -> topology.depth(Names.inbox(receiver.clientId())) == 4);
        assertEquals(sent.subList(1, 5), TestClients.ids(TestClients.drain(receiver)));
    }

    /** {@value #MESSAGES} messages of 256 KiB each, in order; their ids. */
    private static List<String> sendBig(Registered sender, String root) {
        String filler = "x".repeat(256 * 1024);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            sent.add(TestClients.send(sender, root + ".big", Map.of("n", i, "filler", filler)));
        }
        return sent;
    }
}
