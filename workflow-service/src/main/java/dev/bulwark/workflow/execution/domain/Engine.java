package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.workflow.app.domain.ActionSpec;
import dev.bulwark.workflow.app.domain.AppCatalog;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.app.domain.ParameterSpec;
import dev.bulwark.workflow.definition.domain.CompiledWorkflow;
import dev.bulwark.workflow.definition.domain.Expressions;
import dev.bulwark.workflow.definition.domain.Scope;
import dev.bulwark.workflow.definition.domain.Unresolvable;
import dev.bulwark.workflow.definition.domain.Workflow;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import dev.bulwark.workflow.definition.domain.Workflows;
import dev.bulwark.workflow.execution.domain.ActionResult.Status;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.Outputs;
import dev.bulwark.workflow.queue.domain.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The single decider of every execution (docs/architecture.md, "Execution model"). It walks the workflow's DAG:
 * an action runs once every branch into it is decided and at least one passed; when none passed it is SKIPPED
 * ({@link NextSteps}). Running an action means resolving its parameters (references, loops, Liquid) and queueing its
 * tasks for agents ({@link AgentTasks}); subflows ({@link Subflows}) and the built-in tools ({@link InEngineTools}) it
 * runs itself. {@link ActionOutcomes} records how each action ended, {@link ExecutionRecords} the execution's start and
 * end. Every method runs in the caller's transaction with the execution row locked, so concurrent results of one
 * execution are decided one after the other.
 */
@ApplicationScoped
public class Engine {

    private final Workflows workflows;
    private final Expressions expressions;
    private final AppCatalog apps;
    private final Outputs outputs;
    private final ExecutionQuota quota;
    private final ExecutionRecords records;
    private final NextSteps nextSteps;
    private final AgentTasks agentTasks;
    private final InEngineTools tools;
    private final Subflows subflows;
    private final ActionOutcomes outcomes;
    private final EntityManager em;
    private final ObjectMapper json;

    Engine(Workflows workflows, Expressions expressions, AppCatalog apps, Outputs outputs, ExecutionQuota quota,
           ExecutionRecords records, NextSteps nextSteps, AgentTasks agentTasks, InEngineTools tools,
           Subflows subflows, ActionOutcomes outcomes, EntityManager em, ObjectMapper json) {
        this.workflows = workflows;
        this.expressions = expressions;
        this.apps = apps;
        this.outputs = outputs;
        this.quota = quota;
        this.records = records;
        this.nextSteps = nextSteps;
        this.agentTasks = agentTasks;
        this.tools = tools;
        this.subflows = subflows;
        this.outcomes = outcomes;
        this.em = em;
        this.json = json;
    }

    /**
     * Starts the workflow's current version for a webhook's request: going over a limit while starting
     * refuses the request ({@link LimitExceeded}) and nothing is stored.
     */
    public Execution start(Workflow workflow, JsonNode argument, int priority, String trigger) {
        return start(workflow, workflow.version, argument, priority, trigger, null, null, true, true);
    }

    /**
     * {@link #start(Workflow, JsonNode, int, String)} of a version whose start the caller counted already
     * ({@link ExecutionQuota#counted}).
     */
    public Execution startCounted(Workflow workflow, int version, JsonNode argument, int priority, String trigger) {
        return start(workflow, version, argument, priority, trigger, null, null, true, false);
    }

    /**
     * Starts an execution once the organisation's quota allows it ({@link LimitExceeded} 429 otherwise, before
     * anything is stored). Going over another limit (argument size, loop items, tasks) fails that action, naming the
     * limit.
     */
    public Execution start(Workflow workflow, int version, JsonNode argument, int priority, String trigger,
                           UUID parentExecutionId, String parentActionId) {
        return start(workflow, version, argument, priority, trigger, parentExecutionId, parentActionId, false, true);
    }

    /** With {@code refuseOverLimits}, a limit the start itself goes over is thrown instead of failing an action. */
    private Execution start(Workflow workflow, int version, JsonNode argument, int priority, String trigger,
                            UUID parentExecutionId, String parentActionId, boolean refuseOverLimits, boolean count) {
        if (count && !refuseOverLimits) {
            quota.acquire(workflow.orgId, Instant.now());
        }
        Execution execution = records.open(workflow, version, argument, priority, trigger, parentExecutionId,
                parentActionId);
        execution.refuseOverLimits = refuseOverLimits;
        execution.results = new HashMap<>();
        try {
            execution.advancing = true;
            try {
                decideAll(execution, execution.results);
            } finally {
                execution.advancing = false;
            }
        } finally {
            execution.refuseOverLimits = false;
        }
        if (!execution.isPersistent()) {
            // Inserted with the state its first step left, after that step's results and tasks (V10 defers their
            // references to it): one insert instead of an insert and an update.
            execution.persist();
        }
        if (count && refuseOverLimits) {
            // Last, just before the caller's commit: a refusal rolls everything back, so the result is the same as
            // checking first, but the organisation's lock is held for the commit only, not for the whole start.
            quota.acquire(workflow.orgId, Instant.now());
        }
        return execution;
    }

    /** Reads what deciding the executions needs in one go (they are locked): their results so far. */
    void prepare(List<Execution> executions) {
        nextSteps.load(executions);
    }

    /** The execution, locked for deciding; {@code null} when it no longer exists. */
    public Execution lock(UUID executionId) {
        return em.find(Execution.class, executionId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Schedules what has become runnable, skips what has become unreachable, and ends the execution when done. */
    public void advance(Execution execution) {
        if (execution.status.terminal()) {
            return;
        }
        advance(execution, nextSteps.results(execution));
    }

    private void advance(Execution execution, Map<String, ActionResult> results) {
        if (execution.status.terminal()) {
            return;
        }
        execution.advancing = true;
        try {
            decideAll(execution, results);
        } finally {
            execution.advancing = false;
        }
    }

    /** Decides with the execution's results so far ({@link NextSteps#results}; a new execution has none to read). */
    private void decideAll(Execution execution, Map<String, ActionResult> results) {
        CompiledWorkflow workflow = workflows.compiled(execution.orgId, execution.workflowId, execution.workflowVersion);
        Map<String, JsonNode> parsed = new HashMap<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Action node : workflow.order()) {
                if (results.containsKey(node.id())) {
                    continue;
                }
                NextSteps.Decision decision = nextSteps.decide(execution, workflow, node, results, parsed);
                if (decision == NextSteps.Decision.WAIT) {
                    continue;
                }
                progress = true;
                if (decision == NextSteps.Decision.SKIP) {
                    ActionResult skipped = ActionResult.start(execution.id, node.id(), Status.SKIPPED);
                    skipped.persist();
                    results.put(node.id(), skipped);
                    continue;
                }
                ActionResult result = schedule(execution, node,
                        nextSteps.scope(execution, workflow, results, parsed));
                results.put(node.id(), result);
                if (result.status == Status.FAILURE && workflow.document().exitOnError()) {
                    end(execution, Execution.Status.FAILED, "action '" + node.id() + "' failed: " + result.error);
                    return;
                }
                if (execution.status.terminal()) {
                    return;
                }
            }
        }
        if (results.size() == workflow.order().size()
                && results.values().stream().noneMatch(r -> r.status == Status.RUNNING)) {
            end(execution, Execution.Status.FINISHED, null);
        } else {
            execution.updatedAt = Instant.now();
        }
    }

    /** A task reached its end (a result, or its last lease expired): completes its action once all items are in. */
    public void taskFinished(Execution execution, Task task) {
        execution.updatedAt = Instant.now();
        if (execution.status.terminal()) {
            return;
        }
        Map<String, ActionResult> results = nextSteps.results(execution);
        ActionResult result = results.get(task.actionId);
        if (result == null || result.status != Status.RUNNING) {
            return;
        }
        CompiledWorkflow workflow = workflows.compiled(execution.orgId, execution.workflowId, execution.workflowVersion);
        boolean looping = workflow.looping().contains(task.actionId);
        List<Task> tasks;
        if (looping) {
            // Counted in the database: reading every item's task for each of n results would cost n² rows.
            Object[] progress = em.createQuery("select max(t.attempt), sum(case when t.status = :done then 0 else 1 end) "
                            + "from Task t where t.executionId = :execution and t.actionId = :action", Object[].class)
                    .setParameter("done", Task.Status.DONE)
                    .setParameter("execution", execution.id)
                    .setParameter("action", task.actionId)
                    .getSingleResult();
            result.attempt = ((Number) progress[0]).intValue();
            if (((Number) progress[1]).longValue() > 0) {
                return;
            }
            tasks = Task.list("executionId = ?1 and actionId = ?2 order by itemIndex", execution.id, task.actionId);
        } else {
            result.attempt = task.attempt;
            tasks = List.of(task);
            if (task.status != Task.Status.DONE) {
                return;
            }
        }
        outcomes.completeFromTasks(execution, result, tasks, looping);
        if (result.status == Status.FAILURE && workflow.document().exitOnError()) {
            end(execution, Execution.Status.FAILED, "action '" + task.actionId + "' failed: " + result.error);
        } else {
            advance(execution, results);
        }
    }

    /** Ends an active execution as ABORTED: queued and running work is dropped, late results are refused. */
    public void abort(Execution execution, String reason) {
        if (!execution.status.terminal()) {
            end(execution, Execution.Status.ABORTED, reason);
        }
    }

    /** Settles an execution the watchdog found idle: completes actions whose tasks all ended, then advances. */
    public void reconcile(Execution execution) {
        for (ActionResult running : ActionResult.<ActionResult>list("executionId = ?1 and status = ?2", execution.id,
                Status.RUNNING)) {
            List<Task> tasks = Task.list("executionId = ?1 and actionId = ?2", execution.id, running.actionId);
            if (tasks.isEmpty()) {
                if (!subflows.isWaiting(execution, running)) {
                    outcomes.complete(execution, running, Status.FAILURE, null, "the action's work was lost");
                }
            } else if (tasks.stream().allMatch(t -> t.status == Task.Status.DONE)) {
                taskFinished(execution, tasks.get(0));
                return;
            }
        }
        advance(execution);
    }

    private ActionResult schedule(Execution execution, Action node, Scope scope) {
        // Stored once it is known how the action starts: one that ends within this step (in the engine, without
        // items, or unable to start) is inserted once, ended, rather than inserted running and then updated.
        ActionResult result = ActionResult.start(execution.id, node.id(), Status.RUNNING);
        try {
            AppDefinition app = apps.find(execution.orgId, node.app(), node.appVersion())
                    .orElseThrow(() -> new Unresolvable("app '" + node.app() + "'"
                            + (node.appVersion() == null ? "" : " version " + node.appVersion()) + " no longer exists"));
            ActionSpec spec = app.action(node.action())
                    .orElseThrow(() -> new Unresolvable("app '" + node.app() + "' has no action '" + node.action() + "'"));
            Map<String, JsonNode> parameters = withDefaults(spec, node.parameters());
            if (app.name().equals(BuiltinApps.SUBFLOW)) {
                result.persist();
                startSubflow(execution, node, expressions.resolve(parameters, scope, null), result);
                return result;
            }
            int loop = expressions.loopLength(parameters, scope);
            boolean inEngine = tools.runsHere(node, app);
            agentTasks.checkLimits(execution, node, loop, !inEngine);
            List<ObjectNode> items = new ArrayList<>();
            if (loop < 0) {
                items.add(expressions.resolve(parameters, scope, null));
            } else {
                for (int i = 0; i < loop; i++) {
                    items.add(expressions.resolve(parameters, scope, i));
                }
            }
            if (items.isEmpty()) {
                outcomes.complete(execution, result, Status.SUCCESS, outputs.store(json.createArrayNode(), "[]"), null);
                return result;
            }
            if (inEngine) {
                tools.run(execution, node, result, items, loop >= 0);
                return result;
            }
            result.persist();
            agentTasks.queue(execution, node, app, spec, items);
        } catch (Unresolvable e) {
            outcomes.complete(execution, result, Status.FAILURE, null, e.getMessage());
        } catch (LimitExceeded e) {
            if (execution.refuseOverLimits) {
                throw e;
            }
            outcomes.complete(execution, result, Status.FAILURE, null, e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            if (!result.isPersistent()) {
                result.persist();
            }
        }
        return result;
    }

    private void startSubflow(Execution parent, Action node, ObjectNode parameters, ActionResult result) {
        if (!parent.isPersistent()) {
            // The child refers to its parent, finds it and locks it when it ends within this transaction.
            parent.persist();
            em.flush();
        }
        Workflow child = subflows.child(parent, parameters);
        boolean wait = parameters.path("wait").asBoolean(true);
        Execution started;
        try {
            started = start(child, child.version, parameters.get("argument"), parent.priority, "subflow",
                    wait ? parent.id : null, wait ? node.id() : null);
        } catch (LimitExceeded e) {
            throw new Unresolvable("the subflow was not started: " + e.getMessage());
        }
        subflows.started(parent, result, started, wait);
    }

    /** Closes the execution and, when a waiting parent is not deciding right now, completes its subflow action. */
    private void end(Execution execution, Execution.Status status, String error) {
        records.close(execution, status, error);
        if (execution.parentExecutionId != null) {
            Execution parent = lock(execution.parentExecutionId);
            if (parent != null && !parent.status.terminal() && !parent.advancing) {
                ActionResult waiting = ActionResult.findById(new ActionResult.Key(parent.id, execution.parentActionId));
                if (waiting != null && waiting.status == Status.RUNNING) {
                    parent.status = Execution.Status.EXECUTING;
                    subflows.childEnded(parent, waiting, execution);
                    CompiledWorkflow workflow = workflows.compiled(parent.orgId, parent.workflowId, parent.workflowVersion);
                    if (waiting.status == Status.FAILURE && workflow.document().exitOnError()) {
                        end(parent, Execution.Status.FAILED, "action '" + waiting.actionId + "' failed: " + waiting.error);
                    } else {
                        advance(parent);
                    }
                }
            }
        }
    }

    private static Map<String, JsonNode> withDefaults(ActionSpec spec, Map<String, JsonNode> given) {
        Map<String, JsonNode> parameters = new LinkedHashMap<>();
        for (ParameterSpec parameter : spec.parameters()) {
            if (parameter.defaultValue() != null) {
                parameters.put(parameter.name(), parameter.defaultValue());
            }
        }
        if (given != null) {
            parameters.putAll(given);
        }
        return parameters;
    }
}
