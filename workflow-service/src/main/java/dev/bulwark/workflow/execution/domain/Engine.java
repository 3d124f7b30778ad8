package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.common.conditions.Conditions;
import dev.bulwark.common.tools.Tools;
import dev.bulwark.common.tracing.TraceContext;
import dev.bulwark.workflow.app.domain.ActionSpec;
import dev.bulwark.workflow.app.domain.AppCatalog;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.app.domain.HttpCalls;
import dev.bulwark.workflow.app.domain.ParameterSpec;
import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.credential.domain.CredentialStore;
import dev.bulwark.workflow.definition.domain.CompiledWorkflow;
import dev.bulwark.workflow.definition.domain.Expressions;
import dev.bulwark.workflow.definition.domain.Scope;
import dev.bulwark.workflow.definition.domain.Unresolvable;
import dev.bulwark.workflow.definition.domain.Workflow;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Branch;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Condition;
import dev.bulwark.workflow.definition.domain.Workflows;
import dev.bulwark.workflow.execution.domain.ActionResult.Status;
import dev.bulwark.workflow.execution.messaging.ExecutionEvents;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.Outputs;
import dev.bulwark.workflow.queue.domain.Task;
import dev.bulwark.workflow.queue.domain.TaskSignal;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The single decider of every execution (docs/architecture.md, "Execution model"). It walks the workflow's DAG:
 * an action runs once every branch into it is decided and at least one passed; when none passed it is SKIPPED. Running an
 * action means resolving its parameters (references, loops, Liquid) and queueing its tasks for agents; subflows
 * and the built-in tools ({@link InEngineTools}) it runs itself. Every method runs in the caller's transaction with the execution row locked, so concurrent
 * results of one execution are decided one after the other.
 */
@ApplicationScoped
public class Engine {

    private static final int MAX_SUBFLOW_DEPTH = 10;

    private final Workflows workflows;
    private final Expressions expressions;
    private final AppCatalog apps;
    private final CredentialStore credentials;
    private final ExecutionEvents events;
    private final TaskSignal signal;
    private final Outputs outputs;
    private final ExecutionQuota quota;
    private final InEngineTools tools;
    private final EngineConfig config;
    private final EntityManager em;
    private final ObjectMapper json;

    Engine(Workflows workflows, Expressions expressions, AppCatalog apps, CredentialStore credentials,
           ExecutionEvents events, TaskSignal signal, Outputs outputs, ExecutionQuota quota, InEngineTools tools,
           EngineConfig config, EntityManager em, ObjectMapper json) {
        this.workflows = workflows;
        this.expressions = expressions;
        this.apps = apps;
        this.credentials = credentials;
        this.events = events;
        this.signal = signal;
        this.outputs = outputs;
        this.quota = quota;
        this.tools = tools;
        this.config = config;
        this.em = em;
        this.json = json;
    }

    /**
     * Starts the workflow's current version for a caller's request (execute, webhook): going over a limit while
     * starting refuses the request ({@link LimitExceeded}) and nothing is stored.
     */
    public Execution start(Workflow workflow, JsonNode argument, int priority, String trigger) {
        return start(workflow, workflow.version, argument, priority, trigger, null, null, true);
    }

    /**
     * Starts an execution once the organisation's quota allows it ({@link LimitExceeded} 429 otherwise, before
     * anything is stored). With {@code refuseOverLimits}, a limit the start itself goes over (argument size, loop
     * items, tasks) is thrown too; without it, that action fails naming the limit.
     */
    public Execution start(Workflow workflow, int version, JsonNode argument, int priority, String trigger,
                           UUID parentExecutionId, String parentActionId, boolean refuseOverLimits) {
        quota.acquire(workflow.orgId, Instant.now());
        Execution execution = new Execution();
        execution.id = UUID.randomUUID();
        execution.orgId = workflow.orgId;
        execution.workflowId = workflow.id;
        execution.workflowVersion = version;
        execution.status = Execution.Status.EXECUTING;
        execution.triggerType = trigger;
        execution.priority = priority;
        execution.argument = outputs.store(argument, "the execution argument");
        execution.parentExecutionId = parentExecutionId;
        execution.parentActionId = parentActionId;
        execution.startedAt = Instant.now();
        execution.updatedAt = execution.startedAt;
        execution.traceparent = TraceContext.traceparent();
        execution.persist();
        em.flush();
        events.publish(ExecutionEvents.STARTED, execution.orgId, execution.id, execution.workflowId, null,
                execution.status.name());
        execution.refuseOverLimits = refuseOverLimits;
        try {
            advance(execution);
        } finally {
            execution.refuseOverLimits = false;
        }
        return execution;
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
        execution.advancing = true;
        try {
            decideAll(execution);
        } finally {
            execution.advancing = false;
        }
    }

    private void decideAll(Execution execution) {
        CompiledWorkflow workflow = workflows.compiled(execution.orgId, execution.workflowId, execution.workflowVersion);
        Map<String, ActionResult> results = results(execution.id);
        Map<String, JsonNode> parsed = new HashMap<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Action node : workflow.order()) {
                if (results.containsKey(node.id())) {
                    continue;
                }
                Decision decision = decide(execution, workflow, node, results, parsed);
                if (decision == Decision.WAIT) {
                    continue;
                }
                progress = true;
                if (decision == Decision.SKIP) {
                    ActionResult skipped = ActionResult.start(execution.id, node.id(), Status.SKIPPED);
                    skipped.persist();
                    results.put(node.id(), skipped);
                    continue;
                }
                ActionResult result = schedule(execution, workflow, node, scope(execution, workflow, results, parsed));
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
        ActionResult result = ActionResult.findById(new ActionResult.Key(execution.id, task.actionId));
        if (result == null || result.status != Status.RUNNING) {
            return;
        }
        CompiledWorkflow workflow = workflows.compiled(execution.orgId, execution.workflowId, execution.workflowVersion);
        List<Task> tasks = workflow.looping().contains(task.actionId)
                ? Task.list("executionId = ?1 and actionId = ?2 order by itemIndex", execution.id, task.actionId)
                : List.of(task);
        result.attempt = tasks.stream().mapToInt(t -> t.attempt).max().orElse(1);
        if (tasks.stream().anyMatch(t -> t.status != Task.Status.DONE)) {
            return;
        }
        Task failed = tasks.stream().filter(t -> t.resultStatus == Task.Outcome.FAILURE).findFirst().orElse(null);
        String error = failed == null ? null
                : (workflow.looping().contains(task.actionId) ? "item " + failed.itemIndex + ": " : "") + failed.error;
        String output = null;
        if (workflow.looping().contains(task.actionId)) {
            ArrayNode items = json.createArrayNode();
            tasks.forEach(t -> items.add(t.output == null ? json.nullNode() : outputs.read(t.output)));
            try {
                output = outputs.store(items, "the list of its " + tasks.size() + " item results");
            } catch (LimitExceeded e) {
                error = error == null ? e.getMessage() : error;
            }
        } else {
            output = tasks.get(0).output;
        }
        complete(execution, result, error == null ? Status.SUCCESS : Status.FAILURE, output, error);
        if (error != null && workflow.document().exitOnError()) {
            end(execution, Execution.Status.FAILED, "action '" + task.actionId + "' failed: " + error);
        } else {
            advance(execution);
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
                if (!isWaitingSubflow(execution, running)) {
                    complete(execution, running, Status.FAILURE, null, "the action's work was lost");
                }
            } else if (tasks.stream().allMatch(t -> t.status == Task.Status.DONE)) {
                taskFinished(execution, tasks.get(0));
                return;
            }
        }
        advance(execution);
    }

    private boolean isWaitingSubflow(Execution parent, ActionResult result) {
        return Execution.count("parentExecutionId = ?1 and parentActionId = ?2 and status in ?3", parent.id,
                result.actionId, List.of(Execution.Status.EXECUTING, Execution.Status.WAITING)) > 0;
    }

    private enum Decision { RUN, SKIP, WAIT }

    private Decision decide(Execution execution, CompiledWorkflow workflow, Action node,
                            Map<String, ActionResult> results, Map<String, JsonNode> parsed) {
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

    private ActionResult schedule(Execution execution, CompiledWorkflow workflow, Action node, Scope scope) {
        ActionResult result = ActionResult.start(execution.id, node.id(), Status.RUNNING);
        result.persist();
        try {
            AppDefinition app = apps.find(execution.orgId, node.app(), node.appVersion())
                    .orElseThrow(() -> new Unresolvable("app '" + node.app() + "'"
                            + (node.appVersion() == null ? "" : " version " + node.appVersion()) + " no longer exists"));
            ActionSpec spec = app.action(node.action())
                    .orElseThrow(() -> new Unresolvable("app '" + node.app() + "' has no action '" + node.action() + "'"));
            Map<String, JsonNode> parameters = withDefaults(spec, node.parameters());
            if (app.name().equals(BuiltinApps.SUBFLOW)) {
                startSubflow(execution, node, expressions.resolve(parameters, scope, null), result);
                return result;
            }
            int loop = expressions.loopLength(parameters, scope);
            checkTaskLimits(execution, node, loop);
            List<ObjectNode> items = new ArrayList<>();
            if (loop < 0) {
                items.add(expressions.resolve(parameters, scope, null));
            } else {
                for (int i = 0; i < loop; i++) {
                    items.add(expressions.resolve(parameters, scope, i));
                }
            }
            if (items.isEmpty()) {
                complete(execution, result, Status.SUCCESS, outputs.store(json.createArrayNode(), "[]"), null);
                return result;
            }
            if (tools.runsHere(node, app)) {
                runHere(execution, node, result, items, loop >= 0);
                return result;
            }
            boolean openApi = AppDefinition.OPENAPI.equals(app.kind());
            List<ObjectNode> parametersOfTasks = new ArrayList<>(items.size());
            for (ObjectNode item : items) {
                parametersOfTasks.add(openApi ? HttpCalls.fromOpenApi(app, spec, item) : item);
            }
            UUID credentialId = node.credential() == null ? null
                    : credentialFor(execution.orgId, node, openApi || app.name().equals(BuiltinApps.HTTP),
                    parametersOfTasks);
            Instant now = Instant.now();
            for (int i = 0; i < items.size(); i++) {
                Task task = new Task();
                task.id = UUID.randomUUID();
                task.orgId = execution.orgId;
                task.executionId = execution.id;
                task.actionId = node.id();
                task.itemIndex = i;
                task.app = openApi ? BuiltinApps.HTTP : app.name();
                task.action = openApi ? "request" : node.action();
                task.image = app.image();
                task.appId = app.id();
                task.parameters = json.writeValueAsString(parametersOfTasks.get(i));
                task.credentialId = credentialId;
                task.environment = node.environment() == null ? "default" : node.environment();
                task.priority = execution.priority;
                task.status = Task.Status.QUEUED;
                task.attempt = 0;
                task.timeoutSeconds = node.timeoutSeconds() == null ? config.queue().defaultTimeoutSeconds()
                        : node.timeoutSeconds();
                task.createdAt = now;
                task.persist();
            }
            signal.afterCommit();
        } catch (Unresolvable e) {
            complete(execution, result, Status.FAILURE, null, e.getMessage());
        } catch (LimitExceeded e) {
            if (execution.refuseOverLimits) {
                throw e;
            }
            complete(execution, result, Status.FAILURE, null, e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    /**
     * Runs a tools action in this transaction: the same outputs, size caps and error texts as when an agent runs
     * its tasks and {@link #taskFinished} completes the action.
     */
    private void runHere(Execution execution, Action node, ActionResult result, List<ObjectNode> items,
                         boolean looping) {
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
        complete(execution, result, error == null ? Status.SUCCESS : Status.FAILURE, output, error);
    }

    /** Checked before any item is resolved, so a list of any length costs nothing over the limits. */
    private void checkTaskLimits(Execution execution, Action node, int loop) {
        int maxItems = config.limits().maxLoopItems();
        if (loop > maxItems) {
            throw LimitExceeded.request("action '" + node.id() + "' loops over " + loop + " items, more than "
                    + maxItems + " (bulwark.workflow.limits.max-loop-items)");
        }
        int maxTasks = config.limits().maxTasksPerExecution();
        long total = Task.count("executionId", execution.id) + Math.max(loop, 1);
        if (total > maxTasks) {
            throw LimitExceeded.request("action '" + node.id() + "' would bring the execution to " + total
                    + " tasks, more than " + maxTasks + " (bulwark.workflow.limits.max-tasks-per-execution)");
        }
    }

    /** The credential's id, when the action may use it: a credential of its own app, sent only to its hosts. */
    private UUID credentialFor(UUID orgId, Action node, boolean http, List<ObjectNode> requests) {
        CredentialStore.Scope scope = credentials.scope(orgId, node.credential())
                .orElseThrow(() -> new Unresolvable("credential '" + node.credential() + "' no longer exists"));
        if (!scope.app().equals(node.app())) {
            throw new Unresolvable("credential '" + node.credential() + "' belongs to app '" + scope.app()
                    + "', not '" + node.app() + "'");
        }
        if (http) {
            for (ObjectNode request : requests) {
                String url = request.path("url").asText(null);
                if (!scope.allowedHosts().allows(url)) {
                    throw new Unresolvable(CredentialStore.refusal(scope, url));
                }
            }
        }
        return scope.id();
    }

    private void startSubflow(Execution parent, Action node, ObjectNode parameters, ActionResult result) {
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
        Workflow child = Workflow.<Workflow>findByIdOptional(workflowId).filter(w -> w.orgId.equals(parent.orgId))
                .orElseThrow(() -> new Unresolvable("workflow '" + workflowId + "' does not exist"));
        boolean wait = parameters.path("wait").asBoolean(true);
        Execution started;
        try {
            started = start(child, child.version, parameters.get("argument"), parent.priority, "subflow",
                    wait ? parent.id : null, wait ? node.id() : null, false);
        } catch (LimitExceeded e) {
            throw new Unresolvable("the subflow was not started: " + e.getMessage());
        }
        if (!wait) {
            complete(parent, result, Status.SUCCESS, outputs.store(
                    json.createObjectNode().put("executionId", started.id.toString()), "the subflow's id"), null);
        } else if (started.status.terminal()) {
            childEnded(parent, result, started);
        } else {
            parent.status = Execution.Status.WAITING;
        }
    }

    private void childEnded(Execution parent, ActionResult result, Execution child) {
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
        complete(parent, result, error == null ? Status.SUCCESS : Status.FAILURE, output, error);
    }

    private void end(Execution execution, Execution.Status status, String error) {
        execution.status = status;
        execution.error = error;
        execution.finishedAt = Instant.now();
        execution.updatedAt = execution.finishedAt;
        if (status != Execution.Status.FINISHED) {
            Task.update("status = ?1, leaseExpiresAt = null where executionId = ?2 and status in ?3",
                    Task.Status.ABORTED, execution.id, List.of(Task.Status.QUEUED, Task.Status.RUNNING));
            ActionResult.update("status = ?1, finishedAt = ?2 where executionId = ?3 and status = ?4",
                    Status.ABORTED, execution.finishedAt, execution.id, Status.RUNNING);
        }
        events.publish(ExecutionEvents.FINISHED, execution.orgId, execution.id, execution.workflowId, null,
                status.name());
        Log.debugf("Execution %s ended %s", execution.id, status);
        if (execution.parentExecutionId != null) {
            Execution parent = lock(execution.parentExecutionId);
            if (parent != null && !parent.status.terminal() && !parent.advancing) {
                ActionResult waiting = ActionResult.findById(new ActionResult.Key(parent.id, execution.parentActionId));
                if (waiting != null && waiting.status == Status.RUNNING) {
                    parent.status = Execution.Status.EXECUTING;
                    childEnded(parent, waiting, execution);
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

    private void complete(Execution execution, ActionResult result, Status status, String output, String error) {
        result.status = status;
        result.output = output;
        result.error = error;
        result.finishedAt = Instant.now();
        events.publish(ExecutionEvents.ACTION_FINISHED, execution.orgId, execution.id, execution.workflowId,
                result.actionId, status.name());
    }

    private Scope scope(Execution execution, CompiledWorkflow workflow, Map<String, ActionResult> results,
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

    private Map<String, ActionResult> results(UUID executionId) {
        Map<String, ActionResult> results = new HashMap<>();
        ActionResult.<ActionResult>list("executionId", executionId).forEach(r -> results.put(r.actionId, r));
        return results;
    }
}
