package dev.bulwark.dispatcher.messaging;

import dev.bulwark.dispatcher.domain.Dispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Hands every record of the input topics to the dispatcher, which acknowledges it once it has an outcome. */
@ApplicationScoped
public class ObservationConsumer {

    private final Dispatcher dispatcher;

    ObservationConsumer(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Incoming(Channels.OBSERVATION)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> consume(Message<String> record) {
        return dispatcher.submit(record);
    }
}
