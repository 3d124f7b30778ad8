package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.workflow.app.domain.ActionSpec;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.app.domain.HttpCalls;
import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.credential.domain.CredentialStore;
import dev.bulwark.workflow.definition.domain.Unresolvable;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.queue.domain.Task;
import dev.bulwark.workflow.queue.domain.TaskSignal;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Queues an action's resolved items as tasks for agents, one per item, within the execution's task limits: an
 * OpenAPI action becomes {@code http.request} tasks, and a credential goes only with its own app to its own hosts.
 */
@ApplicationScoped
class AgentTasks {

    private final CredentialStore credentials;
    private final TaskSignal signal;
    private final EngineConfig config;
    private final ObjectMapper json;

    AgentTasks(CredentialStore credentials, TaskSignal signal, EngineConfig config, ObjectMapper json) {
        this.credentials = credentials;
        this.signal = signal;
        this.config = config;
        this.json = json;
    }

    /**
     * Checked before any item is resolved, so a list of any length costs nothing over the limits; the task limit
     * only for actions that queue tasks ({@code queues}), as the engine's own tools create none.
     */
    void checkLimits(Execution execution, Action node, int loop, boolean queues) {
        int maxItems = config.limits().maxLoopItems();
        if (loop > maxItems) {
            throw LimitExceeded.request("action '" + node.id() + "' loops over " + loop + " items, more than "
                    + maxItems + " (bulwark.workflow.limits.max-loop-items)");
        }
        if (!queues) {
            return;
        }
        int maxTasks = config.limits().maxTasksPerExecution();
        long total = (long) execution.taskCount + Math.max(loop, 1);
        if (total > maxTasks) {
            throw LimitExceeded.request("action '" + node.id() + "' would bring the execution to " + total
                    + " tasks, more than " + maxTasks + " (bulwark.workflow.limits.max-tasks-per-execution)");
        }
    }

    /** Queues one task per item and wakes waiting claims once the transaction commits. */
    void queue(Execution execution, Action node, AppDefinition app, ActionSpec spec, List<ObjectNode> items)
            throws JsonProcessingException {
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
        execution.taskCount += items.size();
        signal.afterCommit();
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
}
