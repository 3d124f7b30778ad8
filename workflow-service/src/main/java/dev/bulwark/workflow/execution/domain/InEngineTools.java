package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.tools.Tools;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import jakarta.enterprise.context.ApplicationScoped;

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

    private final Tools tools;
    private final boolean byDefault;

    InEngineTools(ObjectMapper json, EngineConfig config) {
        this.tools = new Tools(json);
        this.byDefault = config.engine().toolsInEngine();
    }

    /** Whether the engine runs this action itself instead of queueing it for agents. */
    public boolean runsHere(Action node, AppDefinition app) {
        if (!BuiltinApps.runsInEngine(app, node.action()) || AGENT.equals(node.runOn())) {
            return false;
        }
        return ENGINE.equals(node.runOn()) || byDefault && node.environment() == null && node.credential() == null;
    }

    /** Runs a tools action as worker-agent would; a failure on its input is the action's failure. */
    public JsonNode run(String action, JsonNode parameters) throws Tools.ToolFailed {
        return tools.run(action, parameters);
    }
}
