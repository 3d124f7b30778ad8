package dev.bulwark.dispatcher.dispatch.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.dispatcher.dispatch.domain.Dispatcher;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Puts every record of the input topics on the lane of its key, where the dispatcher runs it to an outcome and only
 * then acknowledges it, so its offset is committed (throttled strategy) only after that outcome.
 */
@ApplicationScoped
public class ObservationConsumer {

    private final Dispatcher dispatcher;
    private final Lanes lanes;
    private final KafkaOutbox outbox;
    private final ObjectMapper mapper;
    private final RecordTracing tracing;

    ObservationConsumer(Dispatcher dispatcher, Lanes lanes, KafkaOutbox outbox, ObjectMapper mapper,
                        RecordTracing tracing) {
        this.dispatcher = dispatcher;
        this.lanes = lanes;
        this.outbox = outbox;
        this.mapper = mapper;
        this.tracing = tracing;
    }

    /** Completes once there is room for another record in flight ({@code max-in-flight}). */
    @Incoming(Channels.OBSERVATION)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> consume(Message<String> record) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<String, String> meta = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("Not a Kafka record"));
        KafkaDelivery delivery = new KafkaDelivery(record, meta, outbox, mapper);
        return lanes.submit(meta.getKey(),
                () -> tracing.traced(meta.getTopic(), meta.getHeaders(), () -> dispatcher.process(delivery)));
    }
}
