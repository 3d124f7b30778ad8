package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.workflow.config.EngineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads and writes stored outputs; an output over the size cap is replaced by a note saying how big it was. */
@ApplicationScoped
public class Outputs {

    private final ObjectMapper json;
    private final int maxBytes;

    Outputs(ObjectMapper json, EngineConfig config) {
        this.json = json;
        this.maxBytes = config.execution().maxOutputBytes();
    }

    public String store(JsonNode output) {
        if (output == null) {
            return null;
        }
        try {
            String text = json.writeValueAsString(output);
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes <= maxBytes) {
                return text;
            }
            return json.writeValueAsString(json.createObjectNode().put("truncated", true).put("bytes", bytes)
                    .put("maxBytes", maxBytes));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode read(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
