package dev.bulwark.dispatcher.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code bulwark.dispatcher.kafka.*} (and the upstream {@code KAFKA_USE_AUTH}, {@code KAFKA_USERNAME}, …)
 * into the Kafka client's SASL settings, which every channel and the health check read from {@code kafka.*}.
 * A JAAS line cannot be written as a property expression: its login module depends on the mechanism.
 */
public class KafkaSaslConfigSourceFactory implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!Boolean.parseBoolean(value(context, "bulwark.dispatcher.kafka.use-auth", "false"))) {
            return List.of();
        }
        String mechanism = value(context, "bulwark.dispatcher.kafka.sasl-mechanism", "PLAIN");
        String protocol = value(context, "bulwark.dispatcher.kafka.security-protocol", "PLAINTEXT");
        return List.of(new MapBackedConfigSource("bulwark-kafka-sasl", Map.of(
                "kafka.sasl.mechanism", mechanism,
                "kafka.security.protocol", protocol.startsWith("SASL_") ? protocol
                        : "SSL".equals(protocol) ? "SASL_SSL" : "SASL_PLAINTEXT",
                "kafka.sasl.jaas.config", jaas(mechanism,
                        value(context, "bulwark.dispatcher.kafka.username", ""),
                        value(context, "bulwark.dispatcher.kafka.password", ""))), ORDINAL) {
        });
    }

    static String jaas(String mechanism, String username, String password) {
        String module = mechanism.startsWith("SCRAM-")
                ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                : "org.apache.kafka.common.security.plain.PlainLoginModule";
        return module + " required username=\"" + escape(username) + "\" password=\"" + escape(password) + "\";";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? fallback : value.getValue();
    }
}
