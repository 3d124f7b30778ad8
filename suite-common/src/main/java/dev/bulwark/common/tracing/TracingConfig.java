package dev.bulwark.common.tracing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/** {@code bulwark.tracing.*}: where finished spans go. */
@ConfigMapping(prefix = "bulwark.tracing")
public interface TracingConfig {

    /** One log line per finished span in the service log (category {@code dev.bulwark.common.tracing.spans}). */
    @WithDefault("true")
    boolean logSpans();

    /** When set, spans are also sent to this OTLP/HTTP collector, e.g. {@code http://localhost:4318}. */
    Optional<URI> otlpEndpoint();
}
