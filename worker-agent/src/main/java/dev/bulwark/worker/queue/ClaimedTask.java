package dev.bulwark.worker.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One task of a claim answer: one app action with its parameters fully resolved by workflow-service.
 * {@code image} is set for container apps; {@code network} (optional, default false) says the app needs a network.
 * {@link #toString()} leaves out parameters, credentials and the execution token.
 */
public record ClaimedTask(String taskId, int attempt, String executionId, String actionId, String app, String action,
                          String image, JsonNode parameters, JsonNode credentials, int timeoutSeconds,
                          Instant leaseExpiresAt, String executionToken, boolean network) {

    @Override
    public String toString() {
        return "task " + taskId + "/" + attempt + " (" + app + "." + action + ", execution " + executionId + ")";
    }
}
