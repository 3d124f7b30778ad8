package dev.bulwark.backbone.broker.messaging;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import dev.bulwark.backbone.broker.config.RabbitMqConfig;
import dev.bulwark.common.error.Unavailable;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * The backbone's AMQP connections: one for consuming and topology, one for publishing, because RabbitMQ's flow
 * control throttles a publishing connection and must not slow deliveries with it. They are opened on first use
 * rather than at start-up, so the service starts (and reports itself not ready) while the broker is down, and a
 * lost connection is opened again on the next use.
 * <p>
 * The client library's automatic recovery is off on purpose. It would re-create channels and consumers on its own
 * schedule, racing the backbone's own re-subscription: after an outage longer than the webhook reconcile interval
 * a recovered exclusive webhook consumer, whose push loop had been given up, held the inbox, and every new push
 * loop was refused ("access_refused … in exclusive use") until a restart. Receives and streams end with the
 * connection (their unacknowledged messages go back to the inbox), and the webhook pusher re-subscribes by itself,
 * so every consumer has exactly one owner.
 * <p>
 * Created at start ({@link Startup}), so TLS material that cannot be read stops the start instead of every call.
 */
@ApplicationScoped
@Startup
public class BrokerConnection {

    private final ConnectionFactory factory;
    private Connection connection;
    private Connection publishing;

    BrokerConnection(RabbitMqConfig config) {
        factory = factory(config);
    }

    /** The connection settings; a TLS or SASL setting that cannot work stops the start with the reason. */
    static ConnectionFactory factory(RabbitMqConfig config) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(config.host());
        factory.setPort(config.port().orElse(config.tls().enabled() ? 5671 : 5672));
        factory.setUsername(config.username());
        factory.setPassword(password(config));
        factory.setVirtualHost(config.virtualHost());
        factory.setConnectionTimeout(config.connectTimeoutMillis());
        factory.setHandshakeTimeout(config.connectTimeoutMillis());
        factory.setAutomaticRecoveryEnabled(false);
        if (config.tls().enabled()) {
            SSLContext context = BrokerTls.context(config.tls());
            if (config.tls().verifyHostname()) {
                // Also turns on the check that the broker's certificate names rabbitmq.host.
                factory.useSslProtocol(context);
            } else {
                factory.setSocketFactory(context.getSocketFactory());
            }
        }
        if (config.saslMechanism() == RabbitMqConfig.Sasl.EXTERNAL) {
            if (!config.tls().enabled() || config.tls().certFile().isEmpty()) {
                throw new IllegalStateException("rabbitmq.sasl-mechanism=EXTERNAL needs rabbitmq.tls.enabled and a "
                        + "client certificate (rabbitmq.tls.cert-file, rabbitmq.tls.key-file)");
            }
            factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        }
        return factory;
    }

    private static String password(RabbitMqConfig config) {
        if (config.passwordFile().isEmpty()) {
            return config.password();
        }
        try {
            return Files.readString(Path.of(config.passwordFile().get()), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read rabbitmq.password-file " + config.passwordFile().get(), e);
        }
    }

    /** The consuming connection, opened now if there is none or it was lost. */
    public synchronized Connection get() {
        if (connection == null || !connection.isOpen()) {
            connection = open("backbone-service");
        }
        return connection;
    }

    /** The publishing connection, opened now if there is none or it was lost. */
    public synchronized Connection publishing() {
        if (publishing == null || !publishing.isOpen()) {
            publishing = open("backbone-service-publish");
        }
        return publishing;
    }

    private Connection open(String name) {
        try {
            Connection opened = factory.newConnection(name);
            Log.infof("Connected to RabbitMQ at %s:%d (%s)", factory.getHost(), factory.getPort(), name);
            return opened;
        } catch (IOException | TimeoutException e) {
            throw new Unavailable("RabbitMQ at " + factory.getHost() + ":" + factory.getPort()
                    + " is unreachable", e);
        }
    }

    @PreDestroy
    synchronized void close() {
        for (Connection open : new Connection[] {connection, publishing}) {
            if (open != null && open.isOpen()) {
                try {
                    open.close();
                } catch (IOException e) {
                    Log.debug("RabbitMQ connection was already closing", e);
                }
            }
        }
    }
}
