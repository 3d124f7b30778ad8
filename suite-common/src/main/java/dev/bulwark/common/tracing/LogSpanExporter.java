package dev.bulwark.common.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import org.jboss.logging.Logger;

/**
 * Writes each finished span as one line of the service log, so that one trace id can be followed with grep across
 * the suite's logs. Only ids, name, kind, status and duration: attributes may hold URLs with user data.
 */
public final class LogSpanExporter implements SpanExporter {

    static final String CATEGORY = "dev.bulwark.common.tracing.spans";

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        for (SpanData span : spans) {
            LOG.infof("span trace=%s span=%s parent=%s kind=%s status=%s duration=%dms service=%s name=\"%s\"",
                    span.getTraceId(), span.getSpanId(),
                    SpanId.isValid(span.getParentSpanId()) ? span.getParentSpanId() : "-",
                    span.getKind(), span.getStatus().getStatusCode(),
                    (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000_000,
                    span.getResource().getAttribute(SERVICE_NAME),
                    span.getName());
        }
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
