package dev.bulwark.dispatcher.dispatch.domain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Per handler: {@code bulwark_dispatcher_messages_total{handler,outcome=handled|dead_lettered|duplicate}},
 * {@code bulwark_dispatcher_retries_total{handler}} and {@code bulwark_dispatcher_latency_seconds{handler}} (first
 * attempt to outcome, retries included). Consumer lag comes from the Kafka client's own metrics
 * ({@code kafka_consumer_fetch_manager_records_lag*}).
 */
@ApplicationScoped
public class DispatchMetrics {

    /** Tag of messages rejected before a handler was chosen (invalid JSON, unknown type). */
    public static final String NO_HANDLER = "none";

    private final MeterRegistry registry;

    DispatchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void inFlight(Supplier<Number> count) {
        // Held strongly: a gauge keeps only a weak reference by default, and nothing else holds the supplier, so
        // after a garbage collection the gauge read NaN.
        Gauge.builder("bulwark.dispatcher.in.flight", count, s -> s.get().doubleValue()).strongReference(true)
                .register(registry);
    }

    public void handled(String handler, Duration latency) {
        outcome(handler, "handled").increment();
        latency(handler).record(latency);
    }

    public void deadLettered(String handler, Duration latency) {
        outcome(handler, "dead_lettered").increment();
        latency(handler).record(latency);
    }

    public void duplicate(String handler) {
        outcome(handler, "duplicate").increment();
    }

    public void retried(String handler) {
        Counter.builder("bulwark.dispatcher.retries").tag("handler", handler).register(registry).increment();
    }

    private Counter outcome(String handler, String outcome) {
        return Counter.builder("bulwark.dispatcher.messages").tag("handler", handler).tag("outcome", outcome)
                .register(registry);
    }

    private Timer latency(String handler) {
        return Timer.builder("bulwark.dispatcher.latency").tag("handler", handler).register(registry);
    }
}
