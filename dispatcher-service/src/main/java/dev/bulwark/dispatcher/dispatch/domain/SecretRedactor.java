package dev.bulwark.dispatcher.dispatch.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes the secrets out of a message before it leaves the dispatcher's memory (dead letters, logs). A field is secret
 * when its message type's schema marks it {@code "writeOnly": true} (e.g. {@code start_workflow}'s
 * {@code values.hookSecret}), or anywhere in the message when its name looks like one: it contains secret,
 * password, passwd, passphrase, token, apikey, authorization, credential, privatekey, accesskey or cookie (case,
 * {@code _} and {@code -} ignored).
 */
public final class SecretRedactor {

    public static final String REDACTED = "[REDACTED]";

    private static final List<String> SECRET_WORDS = List.of("secret", "password", "passwd", "passphrase", "token",
            "apikey", "authorization", "credential", "privatekey", "accesskey", "cookie");
    /** Shorter values are not scrubbed from free text: replacing "1" would mangle "HTTP 401" and hide nothing. */
    private static final int MIN_SCRUBBED_LENGTH = 4;
    /** A {@code "name": "value"} pair in text that is not valid JSON; the value may be cut off at the end. */
    private static final Pattern RAW_PAIR = Pattern.compile(
            "\"((?:[^\"\\\\]|\\\\.)*)\"(\\s*:\\s*)\"((?:[^\"\\\\]|\\\\.)*)(\"|$)");

    private final Map<String, Set<String>> schemaSecrets;

    /** @param schemaSecrets per message type, the dotted paths its schema marks {@code writeOnly} */
    public SecretRedactor(Map<String, Set<String>> schemaSecrets) {
        this.schemaSecrets = Map.copyOf(schemaSecrets);
    }

    /** Whether a field or header of this name holds a secret whatever the message type. */
    public static boolean secretName(String name) {
        String normalized = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return SECRET_WORDS.stream().anyMatch(normalized::contains);
    }

    /**
     * A copy of the message without its secrets. {@code type} is the message type whose schema applies, or
     * {@code null} when none was recognised; a text node (a record that is not JSON) is scrubbed as text.
     */
    public Redacted redact(JsonNode message, String type) {
        List<String> paths = new ArrayList<>();
        Set<String> secrets = new LinkedHashSet<>();
        if (message == null) {
            return new Redacted(null, paths, secrets);
        }
        if (message.isTextual()) {
            return new Redacted(TextNode.valueOf(redactRaw(message.asText(), paths, secrets)), paths, secrets);
        }
        JsonNode copy = message.deepCopy();
        Set<String> bySchema = type == null ? Set.of() : schemaSecrets.getOrDefault(type, Set.of());
        walk(copy, "", bySchema, paths, secrets);
        return new Redacted(copy, paths, secrets);
    }

    private static void walk(JsonNode node, String path, Set<String> bySchema, List<String> paths,
                             Set<String> secrets) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<String> secretFields = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (bySchema.contains(child) || secretName(field.getKey())) {
                    secretFields.add(field.getKey());
                } else {
                    walk(field.getValue(), child, bySchema, paths, secrets);
                }
            }
            for (String name : secretFields) {
                collect(object.get(name), secrets);
                object.put(name, REDACTED);
                paths.add(path.isEmpty() ? name : path + "." + name);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                walk(array.get(i), path + "[" + i + "]", bySchema, paths, secrets);
            }
        }
    }

    private static void collect(JsonNode value, Set<String> secrets) {
        if (value.isValueNode()) {
            String text = value.asText();
            if (text.length() >= MIN_SCRUBBED_LENGTH) {
                secrets.add(text);
            }
        } else {
            value.forEach(child -> collect(child, secrets));
        }
    }

    /** Invalid JSON cannot be walked: every {@code "secret-like name": "value"} pair in it loses its value. */
    private String redactRaw(String text, List<String> paths, Set<String> secrets) {
        Set<String> schemaNames = new LinkedHashSet<>();
        schemaSecrets.values().forEach(set -> set.forEach(p -> schemaNames.add(p.substring(p.lastIndexOf('.') + 1))));
        Matcher pair = RAW_PAIR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (pair.find()) {
            String name = pair.group(1);
            if (secretName(name) || schemaNames.contains(name)) {
                if (pair.group(3).length() >= MIN_SCRUBBED_LENGTH) {
                    secrets.add(pair.group(3));
                }
                paths.add(name);
                pair.appendReplacement(out, Matcher.quoteReplacement(
                        "\"" + name + "\"" + pair.group(2) + "\"" + REDACTED + pair.group(4)));
            } else {
                pair.appendReplacement(out, Matcher.quoteReplacement(pair.group()));
            }
        }
        pair.appendTail(out);
        return out.toString();
    }

    /**
     * A message without its secrets, the paths whose values were replaced, and the secret values themselves so that
     * free text about the message (a failure reason, a log line) can be scrubbed of them too.
     */
    public record Redacted(JsonNode message, List<String> paths, Set<String> secrets) {

        public Redacted {
            paths = List.copyOf(paths);
            secrets = Set.copyOf(secrets);
        }

        /** The text with every secret value of the message replaced by {@value SecretRedactor#REDACTED}. */
        public String scrub(String text) {
            if (text == null) {
                return null;
            }
            String scrubbed = text;
            for (String secret : secrets) {
                scrubbed = scrubbed.replace(secret, REDACTED);
            }
            return scrubbed;
        }

        public ArrayNode pathsAsJson() {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            paths.forEach(array::add);
            return array;
        }

        @Override
        public String toString() {
            return "Redacted[message=" + message + ", paths=" + paths + ", secrets=" + secrets.size() + " hidden]";
        }
    }
}
