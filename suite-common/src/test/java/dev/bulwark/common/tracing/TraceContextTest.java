package dev.bulwark.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final Span span = SdkTracerProvider.builder().build().get("test").spanBuilder("work").startSpan();

    @AfterEach
    void end() {
        span.end();
    }

    @Test
    void headersInjectedInsideASpanAreExtractedAsTheSameContext() {
        Map<String, String> headers = new HashMap<>();
        try (Scope scope = span.makeCurrent()) {
            TraceContext.inject(headers::put);
            assertEquals(headers.get(TraceContext.TRACEPARENT), TraceContext.traceparent());
        }
        SpanContext extracted = Span.fromContext(TraceContext.extract(headers::get)).getSpanContext();
        assertEquals(span.getSpanContext().getTraceId(), extracted.getTraceId());
        assertEquals(span.getSpanContext().getSpanId(), extracted.getSpanId());
        assertEquals(true, extracted.isRemote());
    }

    @Test
    void outsideATraceNothingIsInjected() {
        Map<String, String> headers = new HashMap<>();
        TraceContext.inject(headers::put);
        assertEquals(Map.of(), headers);
        assertNull(TraceContext.traceparent());
    }

    @Test
    void aTraceparentValueIsReadAndAMalformedOneIgnored() {
        SpanContext read = Span.fromContext(TraceContext.fromTraceparent(TRACEPARENT)).getSpanContext();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", read.getTraceId());
        assertEquals("00f067aa0ba902b7", read.getSpanId());
        assertSame(Context.root(), TraceContext.fromTraceparent(null));
        assertFalse(Span.fromContext(TraceContext.fromTraceparent("00-not-a-trace-01")).getSpanContext().isValid());
    }

    @Test
    void aRequestGetsTheCurrentTraceUnlessItCarriesOneAlready() {
        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://example.test/x")).header("Accept", "text/plain")
                .build();
        HttpRequest carrying = HttpRequest.newBuilder(URI.create("http://example.test/x"))
                .header(TraceContext.TRACEPARENT, TRACEPARENT).build();
        assertSame(plain, TraceContext.withTraceHeaders(plain));
        try (Scope scope = span.makeCurrent()) {
            HttpRequest traced = TraceContext.withTraceHeaders(plain);
            assertEquals(TraceContext.traceparent(), traced.headers().firstValue(TraceContext.TRACEPARENT).orElse(null));
            assertEquals("text/plain", traced.headers().firstValue("Accept").orElse(null));
            assertSame(carrying, TraceContext.withTraceHeaders(carrying));
        }
    }

    @Test
    void attachingPutsTheIdsInTheLoggingContextAndRestoresItsPreviousState() {
        MDC.put("traceId", "before");
        try (Scope scope = TraceContext.attach(TraceContext.fromTraceparent(TRACEPARENT))) {
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", MDC.get("traceId"));
            assertEquals("00f067aa0ba902b7", MDC.get("spanId"));
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", Span.current().getSpanContext().getTraceId());
        } finally {
            assertEquals("before", MDC.get("traceId"));
            assertNull(MDC.get("spanId"));
            MDC.remove("traceId");
        }
    }
}
