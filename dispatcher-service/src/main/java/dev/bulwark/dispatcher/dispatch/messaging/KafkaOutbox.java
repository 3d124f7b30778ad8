package dev.bulwark.dispatcher.dispatch.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Writes dead letters and replies; each stage completes only once the broker has acknowledged the record. */
@ApplicationScoped
public class KafkaOutbox {

    private final MutinyEmitter<String> errors;
    private final MutinyEmitter<String> replies;

    KafkaOutbox(@Channel(Channels.ERRORS) MutinyEmitter<String> errors,
                @Channel(Channels.REPLIES) MutinyEmitter<String> replies) {
        this.errors = errors;
        this.replies = replies;
    }

    /** A dead letter, with the original record's key and headers. */
    public CompletionStage<Void> deadLetter(String key, Headers headers, String value) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key)
                .withHeaders(new RecordHeaders(headers == null ? new org.apache.kafka.common.header.Header[0]
                        : headers.toArray()))
                .build();
        return send(errors, Message.of(value).addMetadata(metadata));
    }

    /** A reply on the given topic. */
    public CompletionStage<Void> reply(String topic, String key, String value) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .build();
        return send(replies, Message.of(value).addMetadata(metadata));
    }

    private static CompletionStage<Void> send(MutinyEmitter<String> emitter, Message<String> message) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message)).subscribeAsCompletionStage();
    }
}
