package dev.bulwark.common.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jboss.logging.MDC;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) across the hops Quarkus does not instrument itself:
 * JDK {@link java.net.http.HttpClient} calls, Kafka and RabbitMQ headers read or written by hand, worker tasks.
 */
public final class TraceContext {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final TextMapPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

    private TraceContext() {
    }

    /** Writes the current context's headers, if there is a valid one. */
    public static void inject(BiConsumer<String, String> header) {
        inject(Context.current(), header);
    }

    public static void inject(Context context, BiConsumer<String, String> header) {
        PROPAGATOR.inject(context, header, (carrier, name, value) -> carrier.accept(name, value));
    }

    /** The context carried by the headers, {@link Context#root()} when they carry none (or a malformed one). */
    public static Context extract(Function<String, String> header) {
        return PROPAGATOR.extract(Context.root(), header, new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(Function<String, String> carrier) {
                return List.of(TRACEPARENT, TRACESTATE);
            }

            @Override
            public String get(Function<String, String> carrier, String key) {
                return carrier == null ? null : carrier.apply(key);
            }
        });
    }

    /** The {@code traceparent} of the current span, {@code null} outside a trace. */
    public static String traceparent() {
        String[] value = new String[1];
        inject((name, v) -> {
            if (TRACEPARENT.equals(name)) {
                value[0] = v;
            }
        });
        return value[0];
    }

    /** The context of a {@code traceparent} value; {@link Context#root()} for null or a malformed value. */
    public static Context fromTraceparent(String traceparent) {
        return extract(name -> TRACEPARENT.equals(name) ? traceparent : null);
    }

    /** The request with the current trace context's headers, unless it carries a {@code traceparent} already. */
    public static HttpRequest withTraceHeaders(HttpRequest request) {
        if (!Span.current().getSpanContext().isValid() || request.headers().firstValue(TRACEPARENT).isPresent()) {
            return request;
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(request, (name, value) -> true);
        inject(builder::header);
        return builder.build();
    }

    /**
     * Makes the context current on this thread, with {@code traceId}/{@code spanId} in the logging MDC as Quarkus
     * puts them on its own threads; closing the scope restores both.
     */
    public static Scope attach(Context context) {
        Object traceId = MDC.get("traceId");
        Object spanId = MDC.get("spanId");
        Scope scope = context.makeCurrent();
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (span.isValid()) {
            MDC.put("traceId", span.getTraceId());
            MDC.put("spanId", span.getSpanId());
        }
        return () -> {
            scope.close();
            restore("traceId", traceId);
            restore("spanId", spanId);
        };
    }

    private static void restore(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
