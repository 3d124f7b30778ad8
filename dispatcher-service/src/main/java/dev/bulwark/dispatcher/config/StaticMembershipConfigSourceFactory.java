package dev.bulwark.dispatcher.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives the input channel's consumer a stable {@code group.instance.id} (Kafka static membership), so an instance
 * restarted after a crash takes its partitions back as soon as it joins instead of waiting for the dead member's
 * session to time out. The id is {@code bulwark.dispatcher.group-instance-id}, or else the host name (the pod name
 * in Kubernetes: {@code HOSTNAME}). It cannot be a property expression: the fallback is computed at run time.
 * Switched off, the key is written empty, which the messaging connector treats as unset: the Quarkus build runs this
 * factory too and keeps what it computed then (the build machine's host name) as a default value.
 */
public class StaticMembershipConfigSourceFactory implements ConfigSourceFactory {

    static final String INSTANCE_ID = "mp.messaging.incoming.observation.group.instance.id";
    /** Above application.properties (250), below system properties (400) and environment variables (300). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String id = Boolean.parseBoolean(value(context, "bulwark.dispatcher.static-membership").orElse("true"))
                ? value(context, "bulwark.dispatcher.group-instance-id")
                        .or(() -> value(context, "HOSTNAME"))
                        .orElseGet(StaticMembershipConfigSourceFactory::hostName)
                : "";
        return List.of(new MapBackedConfigSource("bulwark-static-membership", Map.of(INSTANCE_ID, id), ORDINAL) {
        });
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "dispatcher-service";
        }
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? Optional.empty()
                : Optional.of(value.getValue().trim());
    }
}
