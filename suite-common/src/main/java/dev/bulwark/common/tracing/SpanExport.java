package dev.bulwark.common.tracing;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The span processors Quarkus adds to its tracer provider. Chosen at run time from {@link TracingConfig}, because
 * Quarkus' own OTLP exporter is fixed at build time and, when enabled, always sends somewhere (localhost:4317 by
 * default); it is disabled ({@code quarkus.otel.exporter.otlp.enabled=false}).
 */
public class SpanExport {

    @Produces
    @Singleton
    SpanProcessor spanProcessor(TracingConfig config) {
        List<SpanProcessor> processors = new ArrayList<>();
        if (config.logSpans()) {
            processors.add(SimpleSpanProcessor.create(new LogSpanExporter()));
        }
        config.otlpEndpoint().ifPresent(endpoint -> processors.add(BatchSpanProcessor.builder(
                OtlpHttpSpanExporter.builder()
                        .setEndpoint(endpoint.resolve("/v1/traces").toString())
                        .build()).build()));
        return SpanProcessor.composite(processors);
    }
}
