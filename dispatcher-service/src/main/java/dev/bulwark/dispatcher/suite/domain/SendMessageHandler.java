package dev.bulwark.dispatcher.suite.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.dispatcher.dispatch.domain.DispatchMessage;
import dev.bulwark.dispatcher.dispatch.domain.MessageHandler;
import dev.bulwark.dispatcher.suite.client.SuiteGateway;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code send_message}: {@code POST /api/v1/send} {@code {"topic","payload","correlationId"}} on the backbone; the
 * message id is the correlation id, so a receiver can recognise a message sent again after a redelivery.
 */
@ApplicationScoped
public class SendMessageHandler implements MessageHandler {

    private final SuiteGateway suite;
    private final ObjectMapper mapper;

    SendMessageHandler(SuiteGateway suite, ObjectMapper mapper) {
        this.suite = suite;
        this.mapper = mapper;
    }

    @Override
    public String type() {
        return "send_message";
    }

    @Override
    public void handle(DispatchMessage message) throws Exception {
        ObjectNode request = mapper.createObjectNode();
        request.set("topic", message.values().get("topic"));
        request.set("payload", message.values().get("payload"));
        request.put("correlationId", message.messageId());
        suite.send(request);
    }
}
