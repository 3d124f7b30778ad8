package dev.bulwark.common.tools;

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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pure actions of the built-in app {@code tools}, shared by worker-agent (which also runs {@code delay}) and
 * workflow-service's engine (which runs these in-engine): {@code echo} ({@code value}) → value; {@code set_values}
 * ({@code values} object) → values; {@code filter_list} ({@code list}, optional {@code field} path,
 * {@code operator}, {@code value}) → the items that satisfy the condition; {@code regex_capture} ({@code input},
 * {@code pattern} in RE2 syntax, matched in linear time) → groups of the first match
 * {@code {"matched","groups","named"}}; {@code json_parse} ({@code input}) → JSON; {@code json_serialize}
 * ({@code value}) → text; {@code base64_encode} / {@code base64_decode} ({@code input}, UTF-8 text); {@code hash}
 * ({@code input}, {@code algorithm} md5, sha1, sha256 (default), sha512) → lower-case hex; {@code timestamp}
 * ({@code format} iso (default), epoch, epoch_millis); {@code merge_lists} ({@code lists}) → one list, in order.
 * Each is bounded by its input.
 */
public final class Tools {

    /** The actions {@link #run} knows. */
    public static final Set<String> ACTIONS = Set.of("echo", "set_values", "filter_list", "regex_capture",
            "json_parse", "json_serialize", "base64_encode", "base64_decode", "hash", "timestamp", "merge_lists");

    private static final Map<String, String> DIGESTS = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256",
            "sha512", "SHA-512");

    /** An action that failed on its input; the message names the parameter. */
    public static final class ToolFailed extends Exception {
        ToolFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final ObjectMapper json;

    public Tools(ObjectMapper json) {
        this.json = json;
    }

    public JsonNode run(String action, JsonNode parameters) throws ToolFailed {
        Parameters<ToolFailed> p = new Parameters<>(parameters, ToolFailed::new);
        return switch (action) {
            case "echo" -> p.has("value") ? p.get("value") : NullNode.getInstance();
            case "set_values" -> object(p.required("values"), "values");
            case "filter_list" -> filterList(p);
            case "regex_capture" -> regexCapture(p.text("input"), p.text("pattern"));
            case "json_parse" -> parse(p.text("input"));
            case "json_serialize" -> TextNode.valueOf(p.required("value").toString());
            case "base64_encode" -> TextNode.valueOf(Base64.getEncoder()
                    .encodeToString(p.text("input").getBytes(StandardCharsets.UTF_8)));
            case "base64_decode" -> TextNode.valueOf(decode(p.text("input")));
            case "hash" -> TextNode.valueOf(hash(p.text("input"), p.text("algorithm", "sha256")));
            case "timestamp" -> timestamp(p.text("format", "iso"));
            case "merge_lists" -> mergeLists(p.required("lists"));
            default -> throw new ToolFailed("app tools has no action '" + action + "'");
        };
    }

    private static JsonNode object(JsonNode value, String name) throws ToolFailed {
        if (!value.isObject()) {
            throw new ToolFailed("parameter '" + name + "' must be an object");
        }
        return value;
    }

    private JsonNode filterList(Parameters<ToolFailed> p) throws ToolFailed {
        JsonNode list = p.required("list");
        if (!list.isArray()) {
            throw new ToolFailed("parameter 'list' must be a list");
        }
        String field = p.text("field", "");
        String operator = p.text("operator");
        JsonNode expected = p.get("value");
        ArrayNode kept = json.createArrayNode();
        for (JsonNode item : list) {
            JsonNode actual = field.isEmpty() ? item : at(item, field);
            if (holds(operator, actual, expected)) {
                kept.add(item);
            }
        }
        return kept;
    }

    private static boolean holds(String operator, JsonNode actual, JsonNode expected) throws ToolFailed {
        try {
            return Conditions.holds(operator, actual, expected);
        } catch (IllegalArgumentException e) {
            throw new ToolFailed(e.getMessage());
        }
    }

    /** The value at a dotted path ({@code a.b.0.c}); missing when any step is. */
    static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String step : path.split("\\.")) {
            current = current.isArray() && step.chars().allMatch(Character::isDigit)
                    ? current.path(Integer.parseInt(step)) : current.path(step);
        }
        return current;
    }

    private JsonNode regexCapture(String input, String pattern) throws ToolFailed {
        Pattern compiled;
        try {
            compiled = SafeRegex.compile(pattern);
        } catch (IllegalArgumentException e) {
            throw new ToolFailed("pattern is not a valid regular expression (RE2 syntax: no backreferences or "
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

    private JsonNode parse(String text) throws ToolFailed {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ToolFailed("input is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String decode(String text) throws ToolFailed {
        try {
            return new String(Base64.getDecoder().decode(text.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ToolFailed("input is not base64: " + e.getMessage());
        }
    }

    private static String hash(String text, String algorithm) throws ToolFailed {
        String name = DIGESTS.get(algorithm.toLowerCase(Locale.ROOT));
        if (name == null) {
            throw new ToolFailed("algorithm must be one of md5, sha1, sha256, sha512");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(name).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new ToolFailed(name + " is not available on this JVM");
        }
    }

    private JsonNode timestamp(String format) throws ToolFailed {
        Instant now = Instant.now();
        return switch (format) {
            case "iso" -> TextNode.valueOf(now.toString());
            case "epoch" -> json.getNodeFactory().numberNode(now.getEpochSecond());
            case "epoch_millis" -> json.getNodeFactory().numberNode(now.toEpochMilli());
            default -> throw new ToolFailed("format must be one of iso, epoch, epoch_millis");
        };
    }

    private JsonNode mergeLists(JsonNode lists) throws ToolFailed {
        if (!lists.isArray()) {
            throw new ToolFailed("parameter 'lists' must be a list of lists");
        }
        ArrayNode merged = json.createArrayNode();
        for (JsonNode list : lists) {
            if (!list.isArray()) {
                throw new ToolFailed("parameter 'lists' must be a list of lists");
            }
            merged.addAll((ArrayNode) list);
        }
        return merged;
    }
}
