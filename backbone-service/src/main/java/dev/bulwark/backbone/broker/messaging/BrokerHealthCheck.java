package dev.bulwark.backbone.broker.messaging;

import dev.bulwark.common.error.Unavailable;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the AMQP connection to RabbitMQ is open. */
@Readiness
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {

    private final BrokerConnection broker;

    BrokerHealthCheck(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("RabbitMQ connection");
        try {
            var connection = broker.get();
            return response.status(connection.isOpen())
                    .withData("broker", connection.getAddress().getHostAddress() + ":" + connection.getPort())
                    .build();
        } catch (Unavailable e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
