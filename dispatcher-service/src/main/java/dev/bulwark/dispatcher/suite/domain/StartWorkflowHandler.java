package dev.bulwark.dispatcher.suite.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.dispatcher.dispatch.domain.DispatchMessage;
import dev.bulwark.dispatcher.dispatch.domain.MessageHandler;
import dev.bulwark.dispatcher.suite.client.SuiteGateway;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code start_workflow}: {@code values.workflowId} → {@code POST /api/v1/workflows/{id}/execute}
 * {@code {"argument","priority"}}; or {@code values.hookId} + {@code hookSecret} → {@code POST /api/v1/hooks/{id}}
 * with the argument as body.
 */
@ApplicationScoped
public class StartWorkflowHandler implements MessageHandler {

    private final SuiteGateway suite;
    private final ObjectMapper mapper;

    StartWorkflowHandler(SuiteGateway suite, ObjectMapper mapper) {
        this.suite = suite;
        this.mapper = mapper;
    }

    @Override
    public String type() {
        return "start_workflow";
    }

    @Override
    public void handle(DispatchMessage message) throws Exception {
        ObjectNode values = message.values();
        JsonNode argument = values.has("argument") ? values.get("argument") : mapper.createObjectNode();
        JsonNode answer;
        if (values.has("workflowId")) {
            ObjectNode request = mapper.createObjectNode();
            request.set("argument", argument);
            if (values.has("priority")) {
                request.set("priority", values.get("priority"));
            }
            answer = suite.execute(values.get("workflowId").asText(), request);
        } else {
            answer = suite.hook(values.get("hookId").asText(), values.get("hookSecret").asText(), argument);
        }
        Log.debugf("Message %s started execution %s", message.messageId(),
                answer == null ? "?" : answer.path("executionId").asText("?"));
    }
}
