package dev.bulwark.dispatcher.dispatch.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.dispatcher.dispatch.domain.DeadLetter;
import dev.bulwark.dispatcher.dispatch.domain.Delivery;
import dev.bulwark.dispatcher.dispatch.domain.SecretRedactor;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A Kafka record as a {@link Delivery}: acknowledging it lets its offset be committed; its dead letter goes to the
 * error topic with the record's key and headers (secret-like headers redacted) and where the record was read.
 * Not a record type: its payload may hold secrets, and a record's {@code toString} would print it.
 */
final class KafkaDelivery implements Delivery {

    private final Message<String> record;
    private final IncomingKafkaRecordMetadata<String, String> meta;
    private final KafkaOutbox outbox;
    private final ObjectMapper mapper;

    KafkaDelivery(Message<String> record, IncomingKafkaRecordMetadata<String, String> meta, KafkaOutbox outbox,
                  ObjectMapper mapper) {
        this.record = record;
        this.meta = meta;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    @Override
    public String payload() {
        return record.getPayload();
    }

    @Override
    public String key() {
        return meta.getKey();
    }

    @Override
    public String origin() {
        return meta.getTopic() + "-" + meta.getPartition() + "-" + meta.getOffset();
    }

    @Override
    public CompletionStage<Void> ack() {
        return record.ack();
    }

    @Override
    public void nack(Throwable failure) {
        record.nack(failure);
    }

    /**
     * {@code {"message","error","attempts","handler","failedAt","source","redacted"}}: the message and headers
     * without their secrets, which paths were redacted, and where the original record is (to replay it while the
     * input topic still holds it).
     */
    @Override
    public CompletionStage<Void> deadLetter(DeadLetter letter) {
        ObjectNode value = mapper.createObjectNode();
        value.set("message", letter.original().message());
        value.put("error", letter.reason());
        value.put("attempts", letter.attempts());
        value.put("handler", letter.handler());
        value.put("failedAt", Instant.now().toString());
        value.putObject("source").put("topic", meta.getTopic()).put("partition", meta.getPartition())
                .put("offset", meta.getOffset());
        RecordHeaders headers = new RecordHeaders();
        ArrayNode redacted = letter.original().pathsAsJson();
        if (meta.getHeaders() != null) {
            for (Header header : meta.getHeaders()) {
                if (SecretRedactor.secretName(header.key())) {
                    headers.add(header.key(), SecretRedactor.REDACTED.getBytes(StandardCharsets.UTF_8));
                    redacted.add("headers." + header.key());
                } else {
                    headers.add(header);
                }
            }
        }
        if (!redacted.isEmpty()) {
            value.set("redacted", redacted);
        }
        return outbox.deadLetter(meta.getKey(), headers, value.toString());
    }

    @Override
    public String toString() {
        return "KafkaDelivery[" + origin() + "]";
    }
}
