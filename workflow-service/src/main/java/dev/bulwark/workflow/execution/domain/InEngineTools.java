package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.bulwark.common.conditions.Conditions;
import dev.bulwark.common.conditions.SafeRegex;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in {@code tools} actions the engine runs itself, in the deciding transaction (like Conductor's system
 * tasks or Temporal's local activities): they need no isolation, no credential and no network, and each is bounded
 * by its input, which is bounded by {@code bulwark.workflow.execution.max-output-bytes} (regular expressions are RE2,
 * linear in time). They behave as worker-agent's {@code ToolsApp} does; {@code delay} always goes to an agent.
 * An action runs here unless it says {@code "runOn": "agent"}, names an environment or a credential, or
 * {@code bulwark.workflow.engine.tools-in-engine} is off; {@code "runOn": "engine"} asks for it explicitly.
 */
@ApplicationScoped
public class InEngineTools {

    private static final String ENGINE = "engine";
    private static final String AGENT = "agent";

    private static final Map<String, String> DIGESTS = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256",
            "sha512", "SHA-512");

    /** An action that failed on its input, as an agent would report it. */
    public static final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    private final ObjectMapper json;
    private final boolean byDefault;

    InEngineTools(ObjectMapper json, EngineConfig config) {
        this.json = json;
        this.byDefault = config.engine().toolsInEngine();
    }

    /** Whether the engine runs this action itself instead of queueing it for agents. */
    public boolean runsHere(Action node, AppDefinition app) {
        if (!BuiltinApps.runsInEngine(app, node.action()) || AGENT.equals(node.runOn())) {
            return false;
        }
        return ENGINE.equals(node.runOn()) || byDefault && node.environment() == null && node.credential() == null;
    }

    public JsonNode run(String action, JsonNode parameters) throws Failed {
        return switch (action) {
            case "echo" -> parameters.has("value") ? parameters.get("value") : NullNode.getInstance();
            case "set_values" -> object(required(parameters, "values"), "values");
            case "filter_list" -> filterList(parameters);
            case "regex_capture" -> regexCapture(text(parameters, "input"), text(parameters, "pattern"));
            case "json_parse" -> parse(text(parameters, "input"));
            case "json_serialize" -> TextNode.valueOf(required(parameters, "value").toString());
            case "base64_encode" -> TextNode.valueOf(Base64.getEncoder()
                    .encodeToString(text(parameters, "input").getBytes(StandardCharsets.UTF_8)));
            case "base64_decode" -> TextNode.valueOf(decode(text(parameters, "input")));
            case "hash" -> TextNode.valueOf(hash(text(parameters, "input"), text(parameters, "algorithm", "sha256")));
            case "timestamp" -> timestamp(text(parameters, "format", "iso"));
            case "merge_lists" -> mergeLists(required(parameters, "lists"));
            default -> throw new Failed("app tools has no action '" + action + "' the engine runs");
        };
    }

    private static JsonNode required(JsonNode parameters, String name) throws Failed {
        JsonNode value = parameters.get(name);
        if (value == null || value.isNull()) {
            throw new Failed("parameter '" + name + "' is required");
        }
        return value;
    }

    private static String text(JsonNode parameters, String name) throws Failed {
        JsonNode value = required(parameters, name);
        if (value.isContainerNode()) {
            throw new Failed("parameter '" + name + "' must be a string");
        }
        return value.asText();
    }

    private static String text(JsonNode parameters, String name, String fallback) throws Failed {
        JsonNode value = parameters.get(name);
        return value == null || value.isNull() ? fallback : text(parameters, name);
    }

    private static JsonNode object(JsonNode value, String name) throws Failed {
        if (!value.isObject()) {
            throw new Failed("parameter '" + name + "' must be an object");
        }
        return value;
    }

    private JsonNode filterList(JsonNode parameters) throws Failed {
        JsonNode list = required(parameters, "list");
        if (!list.isArray()) {
            throw new Failed("parameter 'list' must be a list");
        }
        String field = text(parameters, "field", "");
        String operator = text(parameters, "operator");
        JsonNode expected = parameters.get("value");
        ArrayNode kept = json.createArrayNode();
        for (JsonNode item : list) {
            JsonNode actual = field.isEmpty() ? item : at(item, field);
            try {
                if (Conditions.holds(operator, actual, expected)) {
                    kept.add(item);
                }
            } catch (IllegalArgumentException e) {
                throw new Failed(e.getMessage());
            }
        }
        return kept;
    }

    /** The value at a dotted path ({@code a.b.0.c}); missing when any step is. */
    private static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String step : path.split("\\.")) {
            current = current.isArray() && !step.isEmpty() && step.chars().allMatch(Character::isDigit)
                    ? current.path(Integer.parseInt(step)) : current.path(step);
        }
        return current;
    }

    private JsonNode regexCapture(String input, String pattern) throws Failed {
        Pattern compiled;
        try {
            compiled = SafeRegex.compile(pattern);
        } catch (IllegalArgumentException e) {
            throw new Failed("pattern is not a valid regular expression (RE2 syntax: no backreferences or "
                    + "lookaround): " + e.getMessage());
        }
        Matcher matcher = compiled.matcher(input);
        ObjectNode out = json.createObjectNode();
        ArrayNode groups = json.createArrayNode();
        ObjectNode named = json.createObjectNode();
        boolean matched = matcher.find();
        if (matched) {
            for (int i = 1; i <= matcher.groupCount(); i++) {
                groups.add(matcher.group(i));
            }
            compiled.namedGroups().forEach((name, index) -> named.put(name, matcher.group(index)));
        }
        out.put("matched", matched);
        out.set("groups", groups);
        out.set("named", named);
        return out;
    }

    private JsonNode parse(String text) throws Failed {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Failed("input is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String decode(String text) throws Failed {
        try {
            return new String(Base64.getDecoder().decode(text.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Failed("input is not base64: " + e.getMessage());
        }
    }

    private static String hash(String text, String algorithm) throws Failed {
        String name = DIGESTS.get(algorithm.toLowerCase(Locale.ROOT));
        if (name == null) {
            throw new Failed("algorithm must be one of md5, sha1, sha256, sha512");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(name)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new Failed(name + " is not available on this JVM");
        }
    }

    private JsonNode timestamp(String format) throws Failed {
        Instant now = Instant.now();
        return switch (format) {
            case "iso" -> TextNode.valueOf(now.toString());
            case "epoch" -> json.getNodeFactory().numberNode(now.getEpochSecond());
            case "epoch_millis" -> json.getNodeFactory().numberNode(now.toEpochMilli());
            default -> throw new Failed("format must be one of iso, epoch, epoch_millis");
        };
    }

    private JsonNode mergeLists(JsonNode lists) throws Failed {
        if (!lists.isArray()) {
            throw new Failed("parameter 'lists' must be a list of lists");
        }
        ArrayNode merged = json.createArrayNode();
        for (JsonNode list : lists) {
            if (!list.isArray()) {
                throw new Failed("parameter 'lists' must be a list of lists");
            }
            merged.addAll((ArrayNode) list);
        }
        return merged;
    }
}
