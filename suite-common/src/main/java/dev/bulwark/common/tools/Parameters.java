package dev.bulwark.common.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.function.Function;

/**
 * Typed reads of an action's parameters, failing with a message that names the parameter; an explicit null counts as
 * missing. The caller says which exception a failure is ({@code E}), so each runtime reports it in its own terms.
 */
public final class Parameters<E extends Exception> {

    private final JsonNode node;
    private final Function<String, E> failure;

    public Parameters(JsonNode node, Function<String, E> failure) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.failure = failure;
    }

    public JsonNode get(String name) {
        JsonNode value = node.path(name);
        return value.isNull() ? MissingNode.getInstance() : value;
    }

    public boolean has(String name) {
        return !get(name).isMissingNode();
    }

    public JsonNode required(String name) throws E {
        JsonNode value = get(name);
        if (value.isMissingNode()) {
            throw failure.apply("parameter '" + name + "' is required");
        }
        return value;
    }

    /** A text parameter; numbers and booleans are taken as their text. */
    public String text(String name) throws E {
        JsonNode value = required(name);
        if (value.isContainerNode()) {
            throw failure.apply("parameter '" + name + "' must be a string");
        }
        return value.asText();
    }

    public String text(String name, String fallback) throws E {
        return has(name) ? text(name) : fallback;
    }

    public boolean bool(String name, boolean fallback) throws E {
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
        throw failure.apply("parameter '" + name + "' must be true or false");
    }

    public double number(String name, double fallback) throws E {
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
            throw failure.apply("parameter '" + name + "' must be a number");
        }
    }
}
