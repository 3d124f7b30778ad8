package dev.bulwark.backbone.messaging;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.bulwark.backbone.config.RabbitMqConfig;
import dev.bulwark.common.error.Unavailable;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The backbone's one AMQP connection. It is opened on first use rather than at start-up, so the service starts
 * (and reports itself not ready) while the broker is down, and it recovers by itself after a broker restart.
 */
@ApplicationScoped
public class BrokerConnection {

    private final ConnectionFactory factory;
    private Connection connection;

    BrokerConnection(RabbitMqConfig config) {
        factory = new ConnectionFactory();
        factory.setHost(config.host());
        factory.setPort(config.port());
        factory.setUsername(config.username());
        factory.setPassword(config.password());
        factory.setVirtualHost(config.virtualHost());
        factory.setConnectionTimeout(config.connectTimeoutMillis());
        factory.setHandshakeTimeout(config.connectTimeoutMillis());
        factory.setAutomaticRecoveryEnabled(true);
    }

    /** The open connection, opened now if there is none yet. */
    public synchronized Connection get() {
        if (connection == null) {
            try {
                connection = factory.newConnection("backbone-service");
                Log.infof("Connected to RabbitMQ at %s:%d", factory.getHost(), factory.getPort());
            } catch (IOException | TimeoutException e) {
                throw new Unavailable("RabbitMQ at " + factory.getHost() + ":" + factory.getPort()
                        + " is unreachable", e);
            }
        }
        return connection;
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close();
            } catch (IOException e) {
                Log.debug("RabbitMQ connection was already closing", e);
            }
        }
    }
}
