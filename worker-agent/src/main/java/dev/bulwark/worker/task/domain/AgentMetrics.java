package dev.bulwark.worker.task.domain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's Micrometer meters: {@code bulwark.worker.tasks.claimed}, {@code bulwark.worker.tasks.running},
 * {@code bulwark.worker.tasks.finished{outcome=succeeded|failed|timed_out|lease_lost|abandoned}},
 * {@code bulwark.worker.claim.latency{result=tasks|empty|error}}, {@code bulwark.worker.task.queue.wait} (claim
 * answer to start on this agent), {@code bulwark.worker.task.duration{app}} and {@code bulwark.worker.result.latency}
 * (posting a result until workflow-service accepted it, retries included).
 */
@ApplicationScoped
public class AgentMetrics {

    /** How a claimed task ended on this agent. */
    public enum Outcome { SUCCEEDED, FAILED, TIMED_OUT, LEASE_LOST, ABANDONED }

    private final MeterRegistry registry;
    private final Counter claimed;
    private final AtomicInteger running = new AtomicInteger();
    private final Timer queueWait;
    private final Timer resultLatency;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.claimed = Counter.builder("bulwark.worker.tasks.claimed").description("Tasks claimed").register(registry);
        registry.gauge("bulwark.worker.tasks.running", running);
        this.queueWait = Timer.builder("bulwark.worker.task.queue.wait")
                .description("From the claim answer to the start of the task on this agent").register(registry);
        this.resultLatency = Timer.builder("bulwark.worker.result.latency")
                .description("Posting a result until workflow-service accepted it, retries included").register(registry);
    }

    void claimed(int count) {
        claimed.increment(count);
    }

    void claimLatency(Duration latency, String result) {
        Timer.builder("bulwark.worker.claim.latency").description("Duration of claim calls (long polls included)")
                .tag("result", result).register(registry).record(latency);
    }

    void started(Duration sinceClaim) {
        queueWait.record(sinceClaim);
        running.incrementAndGet();
    }

    void finished(String app, Outcome outcome, Duration took) {
        running.decrementAndGet();
        registry.counter("bulwark.worker.tasks.finished", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
        Timer.builder("bulwark.worker.task.duration").description("Run time of tasks").tag("app", app)
                .register(registry).record(took);
    }

    void resultAccepted(Duration latency) {
        resultLatency.record(latency);
    }

    /** A task that was never started (lease already gone, or the agent stopping). */
    void skipped(Outcome outcome) {
        registry.counter("bulwark.worker.tasks.finished", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
    }

    /** Tasks running now. */
    public int running() {
        return running.get();
    }
}
