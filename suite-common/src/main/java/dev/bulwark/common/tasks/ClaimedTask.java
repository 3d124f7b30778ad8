package dev.bulwark.common.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One task of a claim answer: one app action with its parameters fully resolved by workflow-service.
 *
 * @param orgId          the organisation the task belongs to (its egress policy, for in-process apps)
 * @param image          set for container apps
 * @param network        whether the container app was declared with a network; only such apps get one, and only
 *                       they receive the execution token (as a file)
 * @param credentials    the fields of the action's credential, for container apps (HTTP actions get theirs applied
 *                       to the request by workflow-service); absent without one
 * @param executionToken a short-lived token of the execution, valid for the task's timeout + lease; only for a
 *                       container app with a network, the one kind of app that can use it (absent otherwise)
 * @param traceparent    the W3C trace context of the request that started the execution, so that the worker's work
 *                       joins its trace; absent when it was started outside one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimedTask(UUID taskId, int attempt, UUID executionId, UUID orgId, String actionId, String app,
                          String action,
                          String image, boolean network, JsonNode parameters, Map<String, String> credentials,
                          int timeoutSeconds, Instant leaseExpiresAt, String executionToken, String traceparent) {

    /** A task outside any trace. */
    public ClaimedTask(UUID taskId, int attempt, UUID executionId, UUID orgId, String actionId, String app,
                       String action, String image, boolean network, JsonNode parameters,
                       Map<String, String> credentials, int timeoutSeconds, Instant leaseExpiresAt,
                       String executionToken) {
        this(taskId, attempt, executionId, orgId, actionId, app, action, image, network, parameters, credentials,
                timeoutSeconds, leaseExpiresAt, executionToken, null);
    }

    /** Leaves out parameters, credentials and the execution token. */
    @Override
    public String toString() {
        return "task " + taskId + "/" + attempt + " (" + app + "." + action + ", execution " + executionId + ")";
    }
}
