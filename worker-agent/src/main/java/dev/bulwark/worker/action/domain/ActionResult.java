package dev.bulwark.worker.action.domain;

import com.fasterxml.jackson.databind.JsonNode;

/** A successful action: its JSON output and, for container apps, what it wrote to stderr (or null). */
public record ActionResult(JsonNode output, String log) {

    public static ActionResult of(JsonNode output) {
        return new ActionResult(output, null);
    }
}
