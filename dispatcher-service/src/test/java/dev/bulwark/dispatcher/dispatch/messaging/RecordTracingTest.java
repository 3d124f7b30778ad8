package dev.bulwark.dispatcher.dispatch.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A record's {@code traceparent} header is continued by the work run for it on its lane. */
class RecordTracingTest {

    private final RecordTracing tracing = new RecordTracing(SdkTracerProvider.builder().build().get("test"));

    @Test
    void theWorkOfARecordRunsInTheTraceOfItsHeader() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        AtomicReference<SpanContext> seen = new AtomicReference<>();
        tracing.traced("observation", headers, () -> {
            seen.set(Span.current().getSpanContext());
            return CompletableFuture.completedFuture(null);
        }).join();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", seen.get().getTraceId());
        assertNotEquals("00f067aa0ba902b7", seen.get().getSpanId());
        assertFalse(Span.current().getSpanContext().isValid(), "nothing left current on the thread");
    }

    @Test
    void aRecordWithoutOneStartsATrace() {
        AtomicReference<SpanContext> seen = new AtomicReference<>();
        tracing.traced("observation", new RecordHeaders(), () -> {
            seen.set(Span.current().getSpanContext());
            return CompletableFuture.completedFuture(null);
        }).join();
        assertTrue(seen.get().isValid());
    }
}
