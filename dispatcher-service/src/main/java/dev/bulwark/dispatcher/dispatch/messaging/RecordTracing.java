package dev.bulwark.dispatcher.dispatch.messaging;

import dev.bulwark.common.tracing.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Runs the work of a record on its lane in a span continuing the trace its {@code traceparent} header carries (a
 * new trace without one), so that the suite calls the handlers make join it. The lanes are threads of their own,
 * where the connector's context is not current.
 */
@ApplicationScoped
public class RecordTracing {

    private final Tracer tracer;

    RecordTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The span ends when the work's outcome is known. */
    public CompletableFuture<Void> traced(String topic, Headers headers, Supplier<CompletableFuture<Void>> work) {
        Context parent = TraceContext.extract(name -> {
            Header header = headers == null ? null : headers.lastHeader(name);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        });
        Span span = tracer.spanBuilder(topic + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .startSpan();
        CompletableFuture<Void> outcome;
        try (Scope scope = TraceContext.attach(parent.with(span))) {
            outcome = work.get();
        } catch (RuntimeException e) {
            span.end();
            throw e;
        }
        return outcome.whenComplete((done, failure) -> span.end());
    }
}
