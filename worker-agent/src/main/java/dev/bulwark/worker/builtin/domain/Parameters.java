package dev.bulwark.worker.builtin.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.bulwark.worker.action.domain.ActionFailed;

/** Typed reads of an action's parameters, failing the action with a message that names the parameter. */
final class Parameters {

    private final JsonNode node;

    Parameters(JsonNode node) {
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    JsonNode get(String name) {
        JsonNode value = node.path(name);
        return value.isNull() ? MissingNode.getInstance() : value;
    }

    boolean has(String name) {
        return !get(name).isMissingNode();
    }

    JsonNode required(String name) throws ActionFailed {
        JsonNode value = get(name);
        if (value.isMissingNode()) {
            throw new ActionFailed("parameter '" + name + "' is required");
        }
        return value;
    }

    /** A text parameter; numbers and booleans are taken as their text. */
    String text(String name) throws ActionFailed {
        JsonNode value = required(name);
        if (value.isContainerNode()) {
            throw new ActionFailed("parameter '" + name + "' must be a string");
        }
        return value.asText();
    }

    String text(String name, String fallback) throws ActionFailed {
        return has(name) ? text(name) : fallback;
    }

    boolean bool(String name, boolean fallback) throws ActionFailed {
        JsonNode value = get(name);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && ("true".equalsIgnoreCase(value.textValue()) || "false".equalsIgnoreCase(value.textValue()))) {
            return Boolean.parseBoolean(value.textValue());
        }
        throw new ActionFailed("parameter '" + name + "' must be true or false");
    }

    double number(String name, double fallback) throws ActionFailed {
        JsonNode value = get(name);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        try {
            return Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
            throw new ActionFailed("parameter '" + name + "' must be a number");
        }
    }
}
