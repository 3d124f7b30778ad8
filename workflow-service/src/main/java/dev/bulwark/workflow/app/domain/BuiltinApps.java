package dev.bulwark.workflow.app.domain;

import dev.bulwark.common.conditions.Conditions;
import dev.bulwark.common.tools.Tools;
import static dev.bulwark.workflow.app.domain.ParameterSpec.optional;
import static dev.bulwark.workflow.app.domain.ParameterSpec.required;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The apps every organisation has. {@code http} runs in-process on the worker-agent (this service only describes
 * it); {@code tools} runs in the engine itself unless an action asks for an agent ({@code InEngineTools});
 * {@code subflow} is run by the engine itself.
 */
public final class BuiltinApps {

    public static final String HTTP = "http";
    public static final String TOOLS = "tools";
    public static final String SUBFLOW = "subflow";
    public static final String VERSION = "1.0.0";

    public static final AppDefinition HTTP_APP = new AppDefinition(null, HTTP, VERSION, AppDefinition.BUILTIN,
            "Any HTTP request; the result is {\"status\",\"headers\",\"body\"}, the body parsed when it is JSON. "
                    + "A credential's fields are added as request headers (field name = header name)",
            null, null, null, null,
            List.of(ActionSpec.of("request", "Send one HTTP request",
                    optional("method", "string", "HTTP method").withDefault(TextNode.valueOf("GET"))
                            .withEnum(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")),
                    required("url", "string", "absolute http(s) URL"),
                    optional("headers", "object", "request headers, name to value"),
                    optional("query", "object", "query parameters, name to value"),
                    optional("body", "any", "request body: JSON for objects and lists, text otherwise"),
                    optional("timeoutSeconds", "integer", "request timeout").withDefault(IntNode.valueOf(30)),
                    optional("verifyTls", "boolean", "verify the server certificate")
                            .withDefault(BooleanNode.TRUE))));

    public static final AppDefinition TOOLS_APP = new AppDefinition(null, TOOLS, VERSION, AppDefinition.BUILTIN,
            "Small data tools to build flows with no container", null, null, null, null, List.of(
            ActionSpec.of("echo", "Returns its value", required("value", "any", "any JSON value")),
            ActionSpec.of("set_values", "Returns the given object, references resolved",
                    required("values", "object", "name to value")),
            ActionSpec.of("filter_list", "The items of a list that satisfy a condition",
                    required("list", "array", "the list"),
                    optional("field", "string", "dotted path into each item compared (the item itself when absent)"),
                    required("operator", "string", "a condition operator").withEnum(Conditions.OPERATORS),
                    optional("value", "any", "the right-hand side of the condition")),
            ActionSpec.of("regex_capture", "Capture groups of the first match: {\"matched\",\"groups\",\"named\"}",
                    required("input", "string", "text to search"), required("pattern", "string", "Java regex")),
            ActionSpec.of("json_parse", "Parses JSON text", required("input", "string", "JSON text")),
            ActionSpec.of("json_serialize", "Serialises a value to JSON text", required("value", "any", "any value")),
            ActionSpec.of("base64_encode", "Base64 of the UTF-8 text", required("input", "string", "text")),
            ActionSpec.of("base64_decode", "UTF-8 text of Base64", required("input", "string", "Base64 text")),
            ActionSpec.of("hash", "Hex digest of the UTF-8 text", required("input", "string", "text"),
                    optional("algorithm", "string", "digest").withDefault(TextNode.valueOf("sha256"))
                            .withEnum(List.of("md5", "sha1", "sha256", "sha512"))),
            ActionSpec.of("timestamp", "The current time",
                    optional("format", "string", "iso, epoch or epoch_millis").withDefault(TextNode.valueOf("iso"))
                            .withEnum(List.of("iso", "epoch", "epoch_millis"))),
            ActionSpec.of("merge_lists", "Concatenates lists in order", required("lists", "array", "list of lists")),
            ActionSpec.of("delay", "Waits, then returns its value",
                    required("seconds", "number", "seconds to wait (at most the action timeout)"),
                    optional("value", "any", "returned after the wait"))));

    public static final AppDefinition SUBFLOW_APP = new AppDefinition(null, SUBFLOW, VERSION, AppDefinition.BUILTIN,
            "Starts another workflow of the organisation, run by the engine", null, null, null, null, List.of(
            ActionSpec.of("start", "Starts the workflow; with wait, the result is the child's outcome "
                            + "{\"executionId\",\"status\",\"results\"}, otherwise {\"executionId\"}",
                    required("workflowId", "string", "id of the workflow to start"),
                    optional("argument", "any", "the child's execution argument"),
                    optional("wait", "boolean", "wait for the child to end").withDefault(BooleanNode.TRUE))));

    public static final Map<String, AppDefinition> ALL =
            Map.of(HTTP, HTTP_APP, TOOLS, TOOLS_APP, SUBFLOW, SUBFLOW_APP);

    /** The {@code tools} actions the engine can run itself (all but {@code delay}), see {@code InEngineTools}. */
    public static final Set<String> ENGINE_TOOLS = Tools.ACTIONS;

    public static boolean runsInEngine(AppDefinition app, String action) {
        return TOOLS.equals(app.name()) && AppDefinition.BUILTIN.equals(app.kind()) && ENGINE_TOOLS.contains(action);
    }

    private BuiltinApps() {
    }
}
