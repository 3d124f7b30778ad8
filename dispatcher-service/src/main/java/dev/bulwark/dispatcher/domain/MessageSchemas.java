package dev.bulwark.dispatcher.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.bulwark.common.error.Invalid;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The JSON Schemas shipped under {@code schemas/messages/}: one for the envelope and one per message type, named
 * after the type. Validation failures are {@link Invalid}: such a message goes to the error topic, never retried.
 */
public final class MessageSchemas {

    private static final String LOCATION = "schemas/messages/";

    private final Schema envelope;
    private final Map<String, Schema> byType;

    public MessageSchemas(Collection<String> types) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        this.envelope = load(registry, "envelope");
        this.byType = new TreeMap<>();
        types.forEach(type -> byType.put(type, load(registry, type)));
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

    private static Schema load(SchemaRegistry registry, String name) {
        String resource = LOCATION + name + ".json";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing schema " + resource);
            }
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema " + resource, e);
        }
    }
}
