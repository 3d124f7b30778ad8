package dev.bulwark.dispatcher.dispatch.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.bulwark.common.error.Invalid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The JSON Schemas shipped under {@code schemas/messages/}: one for the envelope and one per message type, named
 * after the type. Validation failures are {@link Invalid}: such a message goes to the error topic, never retried.
 * A property marked {@code "writeOnly": true} is a secret: it is sent on to the target, never shown back.
 */
public final class MessageSchemas {

    private static final String LOCATION = "schemas/messages/";

    private final Schema envelope;
    private final Map<String, Schema> byType;
    private final Map<String, Set<String>> secretPaths;

    public MessageSchemas(Collection<String> types) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        ObjectMapper mapper = new ObjectMapper();
        this.envelope = registry.getSchema(new ByteArrayInputStream(read("envelope")));
        this.byType = new TreeMap<>();
        this.secretPaths = new TreeMap<>();
        for (String type : types) {
            byte[] schema = read(type);
            byType.put(type, registry.getSchema(new ByteArrayInputStream(schema)));
            Set<String> secrets = new TreeSet<>();
            try {
                writeOnly(mapper.readTree(schema), "", secrets);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read schema of " + type, e);
            }
            secretPaths.put(type, Set.copyOf(secrets));
        }
    }

    /** Per message type, the dotted paths of the properties its schema marks {@code writeOnly}. */
    public Map<String, Set<String>> secretPaths() {
        return Map.copyOf(secretPaths);
    }

    /** Checks the envelope, that the type is known, then the type's schema; returns the type. */
    public String validate(JsonNode message) {
        check(envelope, message, "message");
        String type = message.get("message_type").asText();
        Schema schema = byType.get(type);
        if (schema == null) {
            throw new Invalid("Unknown message_type '" + type + "'; known types: " + String.join(", ", byType.keySet()));
        }
        check(schema, message, type);
        return type;
    }

    private static void check(Schema schema, JsonNode message, String what) {
        List<Error> errors = schema.validate(message);
        if (!errors.isEmpty()) {
            throw new Invalid("Schema violation of " + what + ": " + errors.stream()
                    .map(Error::toString).collect(Collectors.joining("; ")));
        }
    }

    private static void writeOnly(JsonNode schema, String path, Set<String> found) {
        schema.path("properties").fields().forEachRemaining(property -> {
            String child = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
            if (property.getValue().path("writeOnly").asBoolean(false)) {
                found.add(child);
            }
            writeOnly(property.getValue(), child, found);
        });
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            schema.path(combinator).forEach(branch -> writeOnly(branch, path, found));
        }
    }

    private static byte[] read(String name) {
        String resource = LOCATION + name + ".json";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing schema " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema " + resource, e);
        }
    }
}
