package dev.bulwark.backbone.broker.messaging;

import com.rabbitmq.client.AMQP;
import dev.bulwark.common.tracing.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * The W3C trace context in the AMQP headers of published messages (the RabbitMQ client is not instrumented), and
 * the span of a webhook push continuing the trace of the message it pushes.
 */
@ApplicationScoped
public class MessageTracing {

    private final Tracer tracer;

    MessageTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Headers carrying the current trace context; empty outside a trace. */
    public static Map<String, Object> headers() {
        Map<String, Object> headers = new HashMap<>();
        TraceContext.inject(headers::put);
        return headers;
    }

    /** The trace context of a delivered message, {@link Context#root()} without one. */
    public static Context context(AMQP.BasicProperties properties) {
        Map<String, Object> headers = properties.getHeaders();
        return TraceContext.extract(name -> {
            Object value = headers == null ? null : headers.get(name);
            return value == null ? null : value.toString();
        });
    }

    /** Runs the work in a span of its own, a child of {@code parent}. */
    public void inSpan(Context parent, String name, Runnable work) {
        Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CLIENT).startSpan();
        try (Scope scope = TraceContext.attach(parent.with(span))) {
            work.run();
        } finally {
            span.end();
        }
    }
}
