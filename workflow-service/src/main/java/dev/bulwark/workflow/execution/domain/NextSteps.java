package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.conditions.Conditions;
import dev.bulwark.workflow.definition.domain.CompiledWorkflow;
import dev.bulwark.workflow.definition.domain.Expressions;
import dev.bulwark.workflow.definition.domain.Scope;
import dev.bulwark.workflow.definition.domain.Unresolvable;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Branch;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Condition;
import dev.bulwark.workflow.execution.domain.ActionResult.Status;
import dev.bulwark.workflow.limits.domain.Outputs;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Decides, for the {@link Engine}, what an action of an execution does next from the results so far: run once every
 * branch into it is decided and at least one passed (its conditions hold), be SKIPPED when none passed, or wait.
 */
@ApplicationScoped
class NextSteps {

    enum Decision { RUN, SKIP, WAIT }

    private final Expressions expressions;
    private final Outputs outputs;

    NextSteps(Expressions expressions, Outputs outputs) {
        this.expressions = expressions;
        this.outputs = outputs;
    }

    Decision decide(Execution execution, CompiledWorkflow workflow, Action node, Map<String, ActionResult> results,
                    Map<String, JsonNode> parsed) {
        if (workflow.isStart(node.id())) {
            return Decision.RUN;
        }
        List<Branch> incoming = workflow.incoming().getOrDefault(node.id(), List.of());
        for (Branch branch : incoming) {
            ActionResult source = results.get(branch.source());
            if (source == null || source.status == Status.RUNNING) {
                return Decision.WAIT;
            }
        }
        Scope scope = null;
        for (Branch branch : incoming) {
            Status source = results.get(branch.source()).status;
            if (source != Status.SUCCESS && source != Status.FAILURE) {
                continue;
            }
            if (branch.conditions() == null || branch.conditions().isEmpty()) {
                return Decision.RUN;
            }
            if (scope == null) {
                scope = scope(execution, workflow, results, parsed);
            }
            if (passes(branch, scope, execution)) {
                return Decision.RUN;
            }
        }
        return Decision.SKIP;
    }

    private boolean passes(Branch branch, Scope scope, Execution execution) {
        for (Condition condition : branch.conditions()) {
            try {
                JsonNode left = expressions.resolve(condition.left(), scope, null);
                JsonNode right = expressions.resolve(condition.right(), scope, null);
                if (Conditions.holds(condition.operator(), left, right) == condition.negate()) {
                    return false;
                }
            } catch (Unresolvable | IllegalArgumentException e) {
                Log.debugf("Execution %s: branch %s -> %s is cut: %s", execution.id, branch.source(),
                        branch.destination(), e.getMessage());
                return false;
            }
        }
        return true;
    }

    /** What references resolve against: the argument, the variables and the outputs of the actions that ended. */
    Scope scope(Execution execution, CompiledWorkflow workflow, Map<String, ActionResult> results,
                Map<String, JsonNode> parsed) {
        Map<String, JsonNode> outputsById = new LinkedHashMap<>();
        Set<String> skipped = new HashSet<>();
        results.forEach((id, result) -> {
            if (result.status == Status.SKIPPED) {
                skipped.add(id);
            } else if ((result.status == Status.SUCCESS || result.status == Status.FAILURE) && result.output != null) {
                outputsById.put(id, parsed.computeIfAbsent(id, k -> outputs.read(result.output)));
            }
        });
        JsonNode argument = parsed.computeIfAbsent("$exec", k -> outputs.read(execution.argument));
        return new Scope(argument, workflow.document().variablesOrEmpty(), outputsById, skipped);
    }

    /**
     * The execution's results so far, by action id: read once per transaction and kept on the execution, where the
     * engine adds every result it starts, so each decision of the transaction sees them without another query.
     */
    Map<String, ActionResult> results(Execution execution) {
        if (execution.results == null) {
            load(List.of(execution));
        }
        return execution.results;
    }

    /** {@link #results} of several executions, read in one query (those read before are kept). */
    void load(List<Execution> executions) {
        Map<UUID, Execution> unread = new HashMap<>();
        executions.stream().filter(e -> e.results == null).forEach(e -> {
            e.results = new HashMap<>();
            unread.put(e.id, e);
        });
        if (!unread.isEmpty()) {
            ActionResult.getEntityManager().unwrap(Session.class)
                    .createNativeQuery("select * from action_result where execution_id = any(:ids)", ActionResult.class)
                    .addSynchronizedEntityClass(ActionResult.class)
                    .setParameter("ids", unread.keySet().toArray(UUID[]::new))
                    .getResultList().forEach(r -> unread.get(r.executionId).results.put(r.actionId, r));
        }
    }
}
