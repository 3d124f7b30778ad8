package dev.bulwark.backbone.broker.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The backbone's meters, tagged by client id. */
@ApplicationScoped
public class Metrics {

    private final MeterRegistry registry;
    private final Topology topology;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    Metrics(MeterRegistry registry, Topology topology) {
        this.registry = registry;
        this.topology = topology;
    }

    public void sent(String client, String kind, int count) {
        Counter.builder("bulwark.backbone.messages.sent").description("Messages accepted from a client")
                .tags(Tags.of("client", client, "kind", kind)).register(registry).increment(count);
    }

    public void delivered(String client, String via, int count) {
        Counter.builder("bulwark.backbone.messages.delivered").description("Messages delivered to a client")
                .tags(Tags.of("client", client, "via", via)).register(registry).increment(count);
    }

    public void deadLettered(String client, String reason) {
        Counter.builder("bulwark.backbone.messages.dead.lettered")
                .description("Messages the backbone dead-lettered itself (overflow and expiry show in the gauge)")
                .tags(Tags.of("client", client, "reason", reason)).register(registry).increment();
    }

    public void webhook(String client, String outcome, Duration latency) {
        Timer.builder("bulwark.backbone.webhook.latency").description("Webhook POSTs by outcome")
                .tags(Tags.of("client", client, "outcome", outcome)).register(registry).record(latency);
    }

    /** Gauges of the client's inbox and dead-letter queue depth, read from the broker at scrape time. */
    public void watch(String client) {
        if (gauged.add(client)) {
            Gauge.builder("bulwark.backbone.inbox.depth", () -> topology.depth(Names.inbox(client)))
                    .description("Messages waiting in the client's inbox (-1 when unknown)")
                    .tags("client", client).register(registry);
            Gauge.builder("bulwark.backbone.dead.letters.depth", () -> topology.depth(Names.deadLetters(client)))
                    .description("Messages in the client's dead-letter queue (-1 when unknown)")
                    .tags("client", client).register(registry);
        }
    }

    public void forget(String client) {
        if (gauged.remove(client)) {
            registry.find("bulwark.backbone.inbox.depth").tag("client", client).meters().forEach(registry::remove);
            registry.find("bulwark.backbone.dead.letters.depth").tag("client", client).meters()
                    .forEach(registry::remove);
        }
    }
}
