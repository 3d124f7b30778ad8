package dev.bulwark.e2e.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two backbone clients of the bootstrap organisation for the fault suite: a sender that may publish {@code faults.#}
 * and a receiver subscribed to {@code faults.#}, which long-polls {@code GET /api/v1/receive} on a thread of its own
 * and keeps every delivery by the payload's {@code id} (the dispatcher's {@code send_message} records land here too).
 */
final class Inbox implements AutoCloseable {

    record Client(String id, String secret) {
    }

    private final Suite suite;
    private final Map<String, List<Instant>> deliveries = new ConcurrentHashMap<>();
    private final List<String> clientIds = new CopyOnWriteArrayList<>();
    private Client sender;
    private Client receiver;
    private volatile String senderToken;
    private volatile String receiverToken;
    private volatile boolean running = true;
    private Thread thread;

    Inbox(Suite suite) {
        this.suite = suite;
    }

    void setUp(String suffix) {
        for (JsonNode client : suite.required("GET", Suite.BACKBONE + "/api/v1/clients", suite.admin(), null)) {
            if (client.path("name").asText().startsWith("fault-suite-")) {
                suite.call("DELETE", Suite.BACKBONE + "/api/v1/clients/" + client.path("clientId").asText(),
                        suite.admin(), null);
            }
        }
        sender = register(Map.of("name", "fault-suite-sender-" + suffix, "subscriptions", List.of(),
                "publish", List.of("faults.#")));
        receiver = register(Map.of("name", "fault-suite-receiver-" + suffix, "subscriptions", List.of("faults.#"),
                "publish", List.of()));
        refreshTokens();
        thread = new Thread(this::receive, "inbox-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    private Client register(Map<String, Object> request) {
        JsonNode client = suite.required("POST", Suite.BACKBONE + "/api/v1/clients", suite.admin(), request);
        clientIds.add(client.path("clientId").asText());
        return new Client(client.path("clientId").asText(), client.path("secret").asText());
    }

    /** Tokens last 15 minutes: taken again before each scenario, while the suite is healthy. */
    void refreshTokens() {
        senderToken = suite.clientToken(sender.id(), sender.secret());
        receiverToken = suite.clientToken(receiver.id(), receiver.secret());
    }

    String senderToken() {
        return senderToken;
    }

    private void receive() {
        while (running) {
            Suite.Answer answer = suite.call("GET", Suite.BACKBONE + "/api/v1/receive?max=100&wait=5", receiverToken,
                    null, null, Duration.ofSeconds(20));
            if (!answer.ok()) {
                pause(); // the backbone is down or restarting: ask again shortly
                continue;
            }
            Instant now = Instant.now();
            for (JsonNode message : answer.body().path("messages")) {
                String id = message.path("payload").path("id").asText("");
                if (!id.isEmpty()) {
                    deliveries.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(now);
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records in {@code tally} what was delivered of its items so far (first time, and how often). */
    void collect(Tally tally, boolean all) {
        for (String id : all ? tally.acceptedIds() : tally.pending()) {
            List<Instant> times = deliveries.get(id);
            if (times != null && !times.isEmpty()) {
                tally.delivered(id, times.get(0), times.size());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
        for (String id : clientIds) {
            suite.call("DELETE", Suite.BACKBONE + "/api/v1/clients/" + id, suite.admin(), null);
        }
    }
}
