package dev.bulwark.worker.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.common.tasks.ClaimedTask;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A claimed task runs in the trace its {@code traceparent} names, in a span of its own. */
class TaskTracingTest {

    private static ClaimedTask task(String traceparent) {
        return new ClaimedTask(UUID.randomUUID(), 1, UUID.randomUUID(), UUID.randomUUID(), "a-1", "http", "request",
                null, false, null, null, 30, Instant.now().plusSeconds(30), null, traceparent);
    }

    private static SpanContext seenBy(TaskTracing tracing, ClaimedTask task) {
        AtomicReference<SpanContext> seen = new AtomicReference<>();
        tracing.run(task, () -> seen.set(Span.current().getSpanContext()));
        return seen.get();
    }

    @Test
    void aTaskContinuesTheTraceOfItsExecution() {
        TaskTracing tracing = new TaskTracing(SdkTracerProvider.builder().build().get("test"));
        SpanContext seen = seenBy(tracing, task("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertThat(seen.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(seen.getSpanId()).isNotEqualTo("00f067aa0ba902b7");
        assertThat(Span.current().getSpanContext().isValid()).isFalse();

        assertThat(seenBy(tracing, task(null)).isValid()).as("a task outside a trace starts one").isTrue();
    }

    @Test
    void withoutATracerTheContextStillGoesAlong() {
        SpanContext seen = seenBy(TaskTracing.untraced(),
                task("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertThat(seen.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
