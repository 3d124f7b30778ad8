package dev.bulwark.workflow.app.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.workflow.definition.domain.Unresolvable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Builds the built-in {@code http} app's requests for OpenAPI actions, so the worker needs one HTTP runner for both,
 * and applies credentials to them (only when a task is claimed).
 */
public final class HttpCalls {

    private HttpCalls() {
    }

    /** The {@code http.request} parameters of one OpenAPI operation call. */
    public static ObjectNode fromOpenApi(AppDefinition app, ActionSpec action, ObjectNode parameters) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        ObjectNode headers = request.putObject("headers");
        ObjectNode query = request.putObject("query");
        String path = action.path();
        for (ParameterSpec spec : action.parameters()) {
            JsonNode value = parameters.get(spec.name());
            if (value == null || value.isNull()) {
                continue;
            }
            String text = value.isTextual() ? value.asText() : value.toString();
            switch (spec.in()) {
                case "path" -> path = path.replace("{" + spec.name() + "}",
                        URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
                case "query" -> query.put(spec.name(), text);
                case "header" -> headers.put(spec.name(), text);
                case "body" -> request.set("body", value);
                default -> throw new Unresolvable("parameter '" + spec.name() + "' has unknown location " + spec.in());
            }
        }
        if (path.matches(".*\\{[^}]+}.*")) {
            throw new Unresolvable("path parameters missing in " + path);
        }
        request.put("method", action.method());
        request.put("url", app.serverUrl() + path);
        return request;
    }

    /**
     * Adds a credential to {@code http.request} parameters: by the app's authentication schema when it has one,
     * otherwise each field as a request header.
     */
    public static void authenticate(ObjectNode request, AuthSchema auth, Map<String, String> fields) {
        ObjectNode headers = request.has("headers") && request.get("headers").isObject()
                ? (ObjectNode) request.get("headers") : request.putObject("headers");
        if (auth == null || "fields".equals(auth.type())) {
            fields.forEach(headers::put);
            return;
        }
        switch (auth.type()) {
            case "apiKey" -> {
                ObjectNode target = "query".equals(auth.in())
                        ? (request.has("query") && request.get("query").isObject() ? (ObjectNode) request.get("query")
                        : request.putObject("query"))
                        : headers;
                target.put(auth.name(), required(fields, "apiKey"));
            }
            case "bearer" -> headers.put("Authorization", "Bearer " + required(fields, "token"));
            case "basic" -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (required(fields, "username") + ":" + required(fields, "password"))
                            .getBytes(StandardCharsets.UTF_8)));
            default -> throw new Unresolvable("unknown authentication type " + auth.type());
        }
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new Unresolvable("the credential has no field '" + name + "'");
        }
        return value;
    }
}
