package dev.bulwark.worker.builtin.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.RunControl;

/** A built-in app that runs inside the agent's JVM. */
public interface InProcessApp {

    /** The app name tasks refer to ({@code http}, {@code tools}). */
    String name();

    /**
     * Runs one action for the task's organisation ({@code org}, null when unknown); the returned JSON is the output.
     * In-process apps get no credential fields: workflow-service applies an HTTP action's credential to its request.
     */
    JsonNode run(String org, String action, JsonNode parameters, RunControl control)
            throws ActionFailed, InterruptedException;
}
