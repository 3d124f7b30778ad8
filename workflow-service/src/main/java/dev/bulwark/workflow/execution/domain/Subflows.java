package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.workflow.definition.domain.Unresolvable;
import dev.bulwark.workflow.definition.domain.Workflow;
import dev.bulwark.workflow.execution.domain.ActionResult.Status;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.Outputs;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * The rules of the built-in {@code subflow} action, whose child execution the {@link Engine} starts: which workflow
 * it may start (one of its own organisation, nested at most {@value #MAX_SUBFLOW_DEPTH} deep) and what the action's
 * outcome is once the child started or ended.
 */
@ApplicationScoped
class Subflows {

    private static final int MAX_SUBFLOW_DEPTH = 10;

    private final ActionOutcomes outcomes;
    private final Outputs outputs;
    private final ObjectMapper json;

    Subflows(ActionOutcomes outcomes, Outputs outputs, ObjectMapper json) {
        this.outcomes = outcomes;
        this.outputs = outputs;
        this.json = json;
    }

    /** The workflow a subflow action of {@code parent} starts ({@link Unresolvable} when it may not). */
    Workflow child(Execution parent, ObjectNode parameters) {
        int depth = 0;
        for (UUID id = parent.parentExecutionId; id != null; id = Execution.<Execution>findById(id).parentExecutionId) {
            if (++depth >= MAX_SUBFLOW_DEPTH) {
                throw new Unresolvable("subflows nest deeper than " + MAX_SUBFLOW_DEPTH);
            }
        }
        UUID workflowId;
        try {
            workflowId = UUID.fromString(parameters.path("workflowId").asText());
        } catch (IllegalArgumentException e) {
            throw new Unresolvable("workflowId '" + parameters.path("workflowId").asText() + "' is not a workflow id");
        }
        return Workflow.<Workflow>findByIdOptional(workflowId).filter(w -> w.orgId.equals(parent.orgId))
                .orElseThrow(() -> new Unresolvable("workflow '" + workflowId + "' does not exist"));
    }

    /**
     * After the child started: without waiting the action succeeds with the child's id, a child that already ended
     * completes it, and otherwise the parent waits for the child.
     */
    void started(Execution parent, ActionResult result, Execution started, boolean wait) {
        if (!wait) {
            outcomes.complete(parent, result, Status.SUCCESS, outputs.store(
                    json.createObjectNode().put("executionId", started.id.toString()), "the subflow's id"), null);
        } else if (started.status.terminal()) {
            childEnded(parent, result, started);
        } else {
            parent.status = Execution.Status.WAITING;
        }
    }

    /** Completes a subflow action from its ended child: the child's id, status and the output of each action. */
    void childEnded(Execution parent, ActionResult result, Execution child) {
        ObjectNode outcome = json.createObjectNode().put("executionId", child.id.toString())
                .put("status", child.status.name());
        ObjectNode childResults = outcome.putObject("results");
        ActionResult.<ActionResult>list("executionId = ?1 order by startedAt", child.id)
                .forEach(r -> childResults.set(r.actionId, r.output == null ? json.nullNode() : outputs.read(r.output)));
        String error = child.status == Execution.Status.FINISHED ? null
                : "subflow " + child.id + " ended " + child.status + (child.error == null ? "" : ": " + child.error);
        String output = null;
        try {
            output = outputs.store(outcome, "the subflow's outcome");
        } catch (LimitExceeded e) {
            error = error == null ? e.getMessage() : error;
        }
        outcomes.complete(parent, result, error == null ? Status.SUCCESS : Status.FAILURE, output, error);
    }

    /** Whether a running action of {@code parent} is a subflow whose child is still active. */
    boolean isWaiting(Execution parent, ActionResult result) {
        return Execution.count("parentExecutionId = ?1 and parentActionId = ?2 and status in ?3", parent.id,
                result.actionId, List.of(Execution.Status.EXECUTING, Execution.Status.WAITING)) > 0;
    }
}
