package dev.bulwark.e2e.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Messages sent through REST ({@code POST /api/v1/send}, topic {@code faults.backbone}) and received by the inbox. */
final class BackboneLoad extends Load {

    private final Suite suite;
    private final Inbox inbox;
    private Tally messages;

    BackboneLoad(Suite suite, Inbox inbox) {
        super("bb", Duration.ofMillis(100));
        this.suite = suite;
        this.inbox = inbox;
    }

    @Override
    void start(String scenario) {
        messages = new Tally("backbone messages");
        super.start(scenario);
    }

    @Override
    List<Tally> tallies() {
        return List.of(messages);
    }

    @Override
    protected void produce(String id) {
        Instant asked = Instant.now();
        Suite.Answer answer = suite.call("POST", Suite.BACKBONE + "/api/v1/send", inbox.senderToken(),
                Map.of("topic", "faults.backbone", "payload", Map.of("id", id), "correlationId", id));
        if (answer.status() == 202) {
            messages.accepted(id, asked);
        } else {
            messages.refused();
        }
    }

    @Override
    void check() {
        inbox.collect(messages, false);
    }

    @Override
    void finish() {
        inbox.collect(messages, true);
    }
}
