package dev.bulwark.workflow.definition.domain;

import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Branch;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated workflow document with what the engine needs at hand: actions in topological order, the branches
 * into each action, and the actions that loop.
 */
public record CompiledWorkflow(WorkflowDocument document, List<Action> order, Map<String, Action> byId,
                               Map<String, List<Branch>> incoming, Set<String> looping) {

    public boolean isStart(String actionId) {
        return document.start().equals(actionId);
    }
}
