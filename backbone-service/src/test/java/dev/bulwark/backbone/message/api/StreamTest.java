package dev.bulwark.backbone.message.api;

import static dev.bulwark.backbone.TestClients.register;
import static dev.bulwark.backbone.TestClients.send;
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
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StreamTest {

    @TestHTTPResource("/api/v1/stream")
    URL stream;

    @Inject
    Topology topology;

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    private long consumers(String clientId) {
        return topology.withChannel(channel -> channel.queueDeclarePassive(Names.inbox(clientId)).getConsumerCount());
    }

    /** One SSE event as the client saw it. */
    record Event(String name, String id, String data) {
    }

    /** Reads events from one SSE connection; closing it cancels the body, which drops the connection. */
    final class Listener implements AutoCloseable, Flow.Subscriber<String> {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> status = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private String name;
        private String id;
        private final StringBuilder data = new StringBuilder();

        Listener(String token, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(stream.toURI())
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpClient.newHttpClient().sendAsync(request.build(), info -> {
                status.complete(info.statusCode());
                return HttpResponse.BodySubscribers.fromLineSubscriber(this);
            });
            assertEquals(200, status.get(10, TimeUnit.SECONDS));
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    events.add(new Event(name, id, data.toString()));
                }
                name = null;
                id = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // the test closed the stream
        }

        @Override
        public void onComplete() {
            // the server ended the stream
        }

        List<String> ids() {
            return events.stream().map(Event::id).toList();
        }

        @Override
        public void close() {
            subscription.cancel();
        }
    }

    @Test
    void theInboxStreamsAsEventsAndResumesAfterADisconnectWithoutLossOrDuplicates() throws Exception {
        String root = TestClients.uniqueRoot();
        Registered receiver = register(List.of(root + ".#"), List.of(), false);
        Registered sender = register(List.of(), List.of(root + ".#"), false);
        String first = send(sender, root + ".a", Map.of("n", 1));

        List<String> seen;
        try (Listener listener = new Listener(receiver.token(), null)) {
            String second = send(sender, root + ".b", Map.of("n", 2));
            String third = send(sender, root + ".c", Map.of("n", 3));
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.events.size() >= 3);
            seen = listener.ids();
            assertEquals(List.of(first, second, third), seen);
            Event event = listener.events.get(0);
            assertEquals("message", event.name());
            assertTrue(event.data().contains("\"sender\":\"" + sender.clientId() + "\""), event.data());
        }

        // The server noticed the disconnect: the stream's consumer is gone from the inbox.
        await().atMost(Duration.ofSeconds(10)).until(() -> consumers(receiver.clientId()) == 0);
        String fourth = send(sender, root + ".d", Map.of("n", 4));
        String fifth = send(sender, root + ".e", Map.of("n", 5));
        try (Listener resumed = new Listener(receiver.token(), seen.get(seen.size() - 1))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events.size() >= 2);
            String marker = send(sender, root + ".f", Map.of("n", 6));
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.ids().contains(marker));
            assertEquals(List.of(fourth, fifth, marker), resumed.ids());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> consumers(receiver.clientId()) == 0);
        assertEquals(List.of(), TestClients.drain(receiver));
    }
}
