package dev.bulwark.workflow.limits.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.workflow.config.EngineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads and writes stored outputs and arguments, each at most {@code bulwark.workflow.execution.max-output-bytes}. */
@ApplicationScoped
public class Outputs {

    private final ObjectMapper json;
    private final int maxBytes;

    Outputs(ObjectMapper json, EngineConfig config) {
        this.json = json;
        this.maxBytes = config.execution().maxOutputBytes();
    }

    /**
     * The value as stored JSON; {@link LimitExceeded} (400) naming {@code what} when it is over the size cap, which
     * callers turn into a refused request or a failed action.
     */
    public String store(JsonNode value, String what) {
        if (value == null) {
            return null;
        }
        try {
            String text = json.writeValueAsString(value);
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                throw LimitExceeded.request(what + " is " + bytes + " bytes of JSON, more than " + maxBytes
                        + " (bulwark.workflow.execution.max-output-bytes)");
            }
            return text;
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
