package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.common.tools.Tools;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import dev.bulwark.workflow.execution.domain.ActionResult.Status;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.Outputs;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

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
    private final Outputs outputs;
    private final ActionOutcomes outcomes;
    private final ObjectMapper json;

    InEngineTools(ObjectMapper json, EngineConfig config, Outputs outputs, ActionOutcomes outcomes) {
        this.tools = new Tools(json);
        this.byDefault = config.engine().toolsInEngine();
        this.outputs = outputs;
        this.outcomes = outcomes;
        this.json = json;
    }

    /** Whether the engine runs this action itself instead of queueing it for agents. */
    public boolean runsHere(Action node, AppDefinition app) {
        if (!BuiltinApps.runsInEngine(app, node.action()) || AGENT.equals(node.runOn())) {
            return false;
        }
        return ENGINE.equals(node.runOn()) || byDefault && node.environment() == null && node.credential() == null;
    }

    /**
     * Runs a tools action in this transaction as worker-agent would, a failure on its input being the action's
     * failure: the same outputs, size caps and error texts as when an agent runs its tasks and
     * {@link Engine#taskFinished} completes the action.
     */
    void run(Execution execution, Action node, ActionResult result, List<ObjectNode> items, boolean looping) {
        String error = null;
        String output = null;
        ArrayNode itemOutputs = json.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            JsonNode itemOutput = null;
            try {
                itemOutput = tools.run(node.action(), items.get(i));
                String stored = outputs.store(itemOutput, "the output");
                if (!looping) {
                    output = stored;
                }
            } catch (Tools.ToolFailed | LimitExceeded e) {
                itemOutput = null;
                if (error == null) {
                    error = (looping ? "item " + i + ": " : "") + e.getMessage();
                }
            }
            itemOutputs.add(itemOutput == null ? json.nullNode() : itemOutput);
        }
        if (looping) {
            try {
                output = outputs.store(itemOutputs, "the list of its " + items.size() + " item results");
            } catch (LimitExceeded e) {
                error = error == null ? e.getMessage() : error;
            }
        }
        outcomes.complete(execution, result, error == null ? Status.SUCCESS : Status.FAILURE, output, error);
    }
}
