package dev.bulwark.backbone.broker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The trace context goes into a published message's AMQP headers and on into the push of the delivered message. */
class MessageTracingTest {

    private final SdkTracerProvider provider = SdkTracerProvider.builder().build();
    private final MessageTracing tracing = new MessageTracing(provider.get("test"));

    @Test
    void aPublishedMessageCarriesTheTraceAndItsPushContinuesIt() {
        Span publish = provider.get("test").spanBuilder("send").startSpan();
        Map<String, Object> headers;
        try (Scope scope = publish.makeCurrent()) {
            headers = MessageTracing.headers();
        } finally {
            publish.end();
        }
        assertEquals(Set.of("traceparent"), headers.keySet());

        // As the broker hands it back: header values are AMQP long strings.
        LongString onTheWire = LongStringHelper.asLongString((String) headers.get("traceparent"));
        AMQP.BasicProperties delivered = new AMQP.BasicProperties.Builder()
                .headers(Map.of("traceparent", onTheWire)).build();
        Context context = MessageTracing.context(delivered);
        AtomicReference<SpanContext> seen = new AtomicReference<>();
        tracing.inSpan(context, "webhook push", () -> seen.set(Span.current().getSpanContext()));

        assertEquals(publish.getSpanContext().getTraceId(), seen.get().getTraceId());
        assertNotEquals(publish.getSpanContext().getSpanId(), seen.get().getSpanId());
    }

    @Test
    void outsideATraceNothingIsAdded() {
        assertEquals(Map.of(), MessageTracing.headers());
        assertFalse(Span.fromContext(MessageTracing.context(new AMQP.BasicProperties())).getSpanContext().isValid());
    }
}
