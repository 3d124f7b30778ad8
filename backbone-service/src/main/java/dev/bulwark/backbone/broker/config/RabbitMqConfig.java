package dev.bulwark.backbone.broker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;
import java.util.OptionalInt;

/** Where the RabbitMQ broker is and how to log in (env {@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, …). */
@ConfigMapping(prefix = "rabbitmq")
public interface RabbitMqConfig {

    /** Broker host name; with TLS, the name its certificate must carry. */
    @WithDefault("localhost")
    String host();

    /** AMQP port; unset: 5672, or 5671 with TLS. */
    OptionalInt port();

    /** User the backbone connects as (SASL PLAIN). */
    @WithDefault("guest")
    String username();

    /** That user's password; ignored when {@link #passwordFile()} is set. */
    @WithDefault("guest")
    String password();

    /** A file holding the password (a mounted Secret), so it need not be in the environment. */
    Optional<String> passwordFile();

    /** PLAIN (user name and password) or EXTERNAL (the TLS client certificate names the user). */
    @WithDefault("PLAIN")
    Sasl saslMechanism();

    /** Virtual host holding the backbone's exchanges and queues. */
    @WithDefault("/")
    String virtualHost();

    /** Milliseconds to wait for a TCP connection and the AMQP handshake. */
    @WithDefault("5000")
    int connectTimeoutMillis();

    Tls tls();

    enum Sasl {
        PLAIN, EXTERNAL
    }

    /** AMQP over TLS (env {@code RABBITMQ_TLS_*}). */
    interface Tls {
        /** Connect with TLS. */
        @WithDefault("false")
        boolean enabled();

        /** PEM file of the CA certificate(s) that signed the broker's certificate; unset: the JVM's trusted CAs. */
        Optional<String> caFile();

        /** PEM certificate (chain) of the backbone, for brokers that ask for a client certificate. */
        Optional<String> certFile();

        /** PEM private key (PKCS#8, unencrypted, RSA or EC) of that certificate. */
        Optional<String> keyFile();

        /** Check that the broker's certificate names {@code rabbitmq.host}; turn off only for a test broker. */
        @WithDefault("true")
        boolean verifyHostname();
    }
}
