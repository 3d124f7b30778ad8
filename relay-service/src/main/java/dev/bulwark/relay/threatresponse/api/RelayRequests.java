package dev.bulwark.relay.threatresponse.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.relay.config.RelayConfig;
import dev.bulwark.relay.indicator.domain.Normalizer;
import dev.bulwark.relay.threatresponse.domain.Observable;
import dev.bulwark.relay.threatresponse.domain.RelayError;
import dev.bulwark.relay.threatresponse.domain.RelayException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Reads relay request bodies, answering what is wrong with them as the relay family does. */
@ApplicationScoped
public class RelayRequests {

    private final ObjectMapper json;
    private final int observablesLimit;

    RelayRequests(ObjectMapper json, RelayConfig config) {
        this.json = json;
        this.observablesLimit = config.observablesLimit();
    }

    /** {@code [{"type","value"}, …]}: at most the configured number, duplicates dropped, order kept. */
    public List<Observable> observables(String body) {
        JsonNode tree = tree(body);
        if (!tree.isArray()) {
            throw invalid("Expected a list of observables ([{\"type\": …, \"value\": …}]).");
        }
        if (tree.size() > observablesLimit) {
            throw invalid("No more than " + observablesLimit + " observables are accepted per request, got "
                    + tree.size() + ".");
        }
        LinkedHashSet<Observable> observables = new LinkedHashSet<>();
        for (int i = 0; i < tree.size(); i++) {
            JsonNode node = tree.get(i);
            String type = text(node, "type", i);
            String value = text(node, "value", i);
            if (value.length() > Normalizer.MAX_LENGTH) {
                throw invalid("{\"" + i + "\": {\"value\": [\"Longer than maximum length " + Normalizer.MAX_LENGTH
                        + ".\"]}}");
            }
            observables.add(new Observable(type, value));
        }
        return new ArrayList<>(observables);
    }

    /** A JSON object body, each named field required as a non-blank string. */
    public JsonNode object(String body, String... required) {
        JsonNode tree = tree(body);
        if (!tree.isObject()) {
            throw invalid("Expected a JSON object.");
        }
        for (String field : required) {
            if (!tree.path(field).isTextual() || tree.path(field).asText().isBlank()) {
                throw invalid("{\"" + field + "\": [\"Missing data for required field.\"]}");
            }
        }
        return tree;
    }

    private JsonNode tree(String body) {
        if (body == null || body.isBlank()) {
            throw invalid("The body is empty.");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("The body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field, int index) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid("{\"" + index + "\": {\"" + field + "\": [\"Missing data for required field.\"]}}");
        }
        return value.asText();
    }

    private static RelayException invalid(String detail) {
        return new RelayException(RelayError.invalidArgument(detail));
    }
}
