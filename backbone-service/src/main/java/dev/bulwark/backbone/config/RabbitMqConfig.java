package dev.bulwark.backbone.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the RabbitMQ broker is and how to log in (env {@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, …). */
@ConfigMapping(prefix = "rabbitmq")
public interface RabbitMqConfig {

    /** Broker host name. */
    @WithDefault("localhost")
    String host();

    /** AMQP port. */
    @WithDefault("5672")
    int port();

    /** User the backbone connects as. */
    @WithDefault("guest")
    String username();

    /** That user's password. */
    @WithDefault("guest")
    String password();

    /** Virtual host holding the backbone's exchanges and queues. */
    @WithDefault("/")
    String virtualHost();

    /** Milliseconds to wait for a TCP connection and the AMQP handshake. */
    @WithDefault("5000")
    int connectTimeoutMillis();
}
