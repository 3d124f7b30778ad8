package dev.bulwark.worker.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.security.Claims;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;

/**
 * One task of a claim answer: one app action with its parameters fully resolved by workflow-service.
 * {@code image} is set for container apps; {@code network} (optional, default false) says the app needs a network.
 * {@link #toString()} leaves out parameters, credentials and the execution token.
 */
public record ClaimedTask(String taskId, int attempt, String executionId, String actionId, String app, String action,
                          String image, JsonNode parameters, JsonNode credentials, int timeoutSeconds,
                          Instant leaseExpiresAt, String executionToken, boolean network) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The organisation the task belongs to: the {@code org} claim of its execution token, or null without one. Read,
     * not verified: the token comes in the same authenticated claim answer from workflow-service as the task itself.
     */
    public String org() {
        String[] parts = executionToken == null ? new String[0] : executionToken.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode org = JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path(Claims.ORG);
            return org.isTextual() ? org.textValue() : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "task " + taskId + "/" + attempt + " (" + app + "." + action + ", execution " + executionId + ")";
    }
}
