package dev.bulwark.workflow.app.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.Invalid;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.enterprise.context.ApplicationScoped;
import io.swagger.v3.core.util.Yaml;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns an OpenAPI 3 document (JSON or YAML) into an app whose actions are its operations. */
@ApplicationScoped
public class OpenApiImporter {

    private static final List<String> BODY_TYPES = List.of("object", "array", "string", "number", "integer", "boolean");

    private final ObjectMapper json;

    OpenApiImporter(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param name      the app name, or {@code null} for one derived from the spec's title
     * @param serverUrl the API's base URL, or {@code null} for the spec's first absolute server URL
     */
    public AppDefinition read(String spec, String name, String serverUrl) {
        rejectExternalReferences(spec);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(spec, null, options);
        OpenAPI api = parsed.getOpenAPI();
        if (api == null || api.getPaths() == null || api.getInfo() == null) {
            List<String> messages = parsed.getMessages() == null ? List.of() : parsed.getMessages();
            throw new Invalid("Not an OpenAPI 3 document: " + String.join("; ", messages.stream().limit(5).toList()));
        }
        String appName = name != null ? name : slug(api.getInfo().getTitle());
        String url = serverUrl != null ? serverUrl : api.getServers() == null ? null : api.getServers().stream()
                .map(s -> s.getUrl()).filter(u -> u != null && u.matches("https?://.+")).findFirst().orElse(null);
        if (url == null) {
            throw new Invalid("The spec names no absolute server URL: give one with ?serverUrl=");
        }
        List<ActionSpec> actions = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                actions.add(action(path, item, method, operation))));
        if (actions.isEmpty()) {
            throw new Invalid("The spec has no operations");
        }
        return new AppDefinition(null, appName, api.getInfo().getVersion() == null ? "1.0.0" : api.getInfo().getVersion(),
                AppDefinition.OPENAPI, api.getInfo().getDescription(), null, null, url.replaceAll("/+$", ""),
                authentication(api), actions);
    }

    /**
     * The parser would fetch URLs and read files a {@code $ref} names (issue 13): only references inside the
     * document ({@code #/…}) are allowed, checked on the raw document before the parser sees it.
     */
    private static void rejectExternalReferences(String spec) {
        JsonNode tree;
        try {
            tree = Yaml.mapper().readTree(spec);
        } catch (IOException | RuntimeException e) {
            throw new Invalid("Not an OpenAPI 3 document: it is neither JSON nor YAML");
        }
        Deque<JsonNode> todo = new ArrayDeque<>();
        if (tree != null) {
            todo.add(tree);
        }
        while (!todo.isEmpty()) {
            JsonNode node = todo.poll();
            JsonNode ref = node.isObject() ? node.get("$ref") : null;
            if (ref != null && ref.isTextual() && !ref.asText().startsWith("#/")) {
                String shown = ref.asText().length() > 200 ? ref.asText().substring(0, 200) + "…" : ref.asText();
                throw new Invalid("The spec refers to '" + shown + "': only references inside the document "
                        + "('#/…') are allowed; external and file references are never read");
            }
            node.forEach(todo::add);
        }
    }

    private ActionSpec action(String path, PathItem item, PathItem.HttpMethod method, Operation operation) {
        String name = operation.getOperationId() != null ? operation.getOperationId()
                : slug(method.name().toLowerCase(Locale.ROOT) + path);
        List<ParameterSpec> parameters = new ArrayList<>();
        List<Parameter> declared = new ArrayList<>();
        if (item.getParameters() != null) {
            declared.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            declared.addAll(operation.getParameters());
        }
        for (Parameter p : declared) {
            if ("cookie".equals(p.getIn())) {
                continue;
            }
            Schema<?> schema = p.getSchema();
            parameters.add(new ParameterSpec(p.getName(), p.getDescription(), type(schema),
                    Boolean.TRUE.equals(p.getRequired()) || "path".equals(p.getIn()), defaultValue(schema), false,
                    enumValues(schema), p.getIn()));
        }
        if (operation.getRequestBody() != null) {
            Schema<?> schema = operation.getRequestBody().getContent() == null ? null
                    : operation.getRequestBody().getContent().values().stream().map(m -> (Schema<?>) m.getSchema())
                    .filter(s -> s != null).findFirst().orElse(null);
            parameters.add(new ParameterSpec("body", operation.getRequestBody().getDescription(), type(schema),
                    Boolean.TRUE.equals(operation.getRequestBody().getRequired()), null, false, null, "body"));
        }
        String description = operation.getSummary() != null ? operation.getSummary() : operation.getDescription();
        return new ActionSpec(name, description, parameters, method.name(), path);
    }

    private static AuthSchema authentication(OpenAPI api) {
        if (api.getComponents() == null || api.getComponents().getSecuritySchemes() == null) {
            return null;
        }
        for (Map.Entry<String, SecurityScheme> entry : api.getComponents().getSecuritySchemes().entrySet()) {
            SecurityScheme scheme = entry.getValue();
            if (scheme.getType() == SecurityScheme.Type.APIKEY && scheme.getIn() != SecurityScheme.In.COOKIE) {
                return new AuthSchema("apiKey", scheme.getName(), scheme.getIn().toString(), List.of("apiKey"));
            }
            if (scheme.getType() == SecurityScheme.Type.HTTP && "bearer".equalsIgnoreCase(scheme.getScheme())) {
                return new AuthSchema("bearer", null, null, List.of("token"));
            }
            if (scheme.getType() == SecurityScheme.Type.HTTP && "basic".equalsIgnoreCase(scheme.getScheme())) {
                return new AuthSchema("basic", null, null, List.of("username", "password"));
            }
        }
        return null;
    }

    private static String type(Schema<?> schema) {
        if (schema == null) {
            return "any";
        }
        String type = schema.getType();
        if (type == null && schema.getTypes() != null && !schema.getTypes().isEmpty()) {
            type = schema.getTypes().iterator().next();
        }
        return type != null && BODY_TYPES.contains(type) ? type : "any";
    }

    private JsonNode defaultValue(Schema<?> schema) {
        return schema == null || schema.getDefault() == null ? null : json.valueToTree(schema.getDefault());
    }

    private static List<String> enumValues(Schema<?> schema) {
        return schema == null || schema.getEnum() == null || schema.getEnum().isEmpty() ? null
                : schema.getEnum().stream().map(String::valueOf).toList();
    }

    private static String slug(String text) {
        String slug = text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        return slug.isEmpty() ? "openapi" : slug;
    }
}
