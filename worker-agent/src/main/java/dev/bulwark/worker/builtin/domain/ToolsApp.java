package dev.bulwark.worker.builtin.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.bulwark.common.tools.Parameters;
import dev.bulwark.common.tools.Tools;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.RunControl;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Built-in app {@code tools} (actions and parameters as workflow-service's catalog declares them): the pure actions
 * of suite-common {@link Tools}, and {@code delay} ({@code seconds}, optional {@code value}) → value, after the wait.
 */
@ApplicationScoped
public class ToolsApp implements InProcessApp {

    private final Tools tools;

    public ToolsApp(ObjectMapper json) {
        this.tools = new Tools(json);
    }

    @Override
    public String name() {
        return "tools";
    }

    @Override
    public JsonNode run(String org, String action, JsonNode parameters, RunControl control)
            throws ActionFailed, InterruptedException {
        if ("delay".equals(action)) {
            Parameters<ActionFailed> p = new Parameters<>(parameters, ActionFailed::new);
            return delay(p.number("seconds", 0), p.has("value") ? p.get("value") : NullNode.getInstance());
        }
        try {
            return tools.run(action, parameters);
        } catch (Tools.ToolFailed e) {
            throw new ActionFailed(e.getMessage());
        }
    }

    private static JsonNode delay(double seconds, JsonNode value) throws ActionFailed, InterruptedException {
        if (seconds < 0) {
            throw new ActionFailed("seconds must not be negative");
        }
        Thread.sleep((long) (seconds * 1000));
        return value;
    }
}
