package dev.bulwark.dispatcher.suite.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.dispatcher.dispatch.domain.DispatchMessage;
import dev.bulwark.dispatcher.dispatch.domain.MessageHandler;
import dev.bulwark.dispatcher.dispatch.messaging.KafkaOutbox;
import dev.bulwark.dispatcher.suite.client.SuiteGateway;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code lookup_observables}: {@code POST /observe/observables} on the relay, then the answer goes to
 * {@code values.replyTopic} as {@code {"message_id","observables","result"}} with the original key.
 */
@ApplicationScoped
public class LookupObservablesHandler implements MessageHandler {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    private final SuiteGateway suite;
    private final KafkaOutbox outbox;
    private final ObjectMapper mapper;

    LookupObservablesHandler(SuiteGateway suite, KafkaOutbox outbox, ObjectMapper mapper) {
        this.suite = suite;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    @Override
    public String type() {
        return "lookup_observables";
    }

    @Override
    public void handle(DispatchMessage message) throws Exception {
        JsonNode observables = message.values().get("observables");
        JsonNode result = suite.observe(observables);
        ObjectNode reply = mapper.createObjectNode();
        reply.put("message_id", message.messageId());
        reply.set("observables", observables);
        reply.set("result", result);
        outbox.reply(message.values().get("replyTopic").asText(), message.key(), reply.toString())
                .toCompletableFuture().get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
