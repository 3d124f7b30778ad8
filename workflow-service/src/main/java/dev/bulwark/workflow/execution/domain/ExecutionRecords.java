package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.tracing.TraceContext;
import dev.bulwark.workflow.definition.domain.Workflow;
import dev.bulwark.workflow.execution.domain.ActionResult.Status;
import dev.bulwark.workflow.execution.messaging.ExecutionEvents;
import dev.bulwark.workflow.limits.domain.Outputs;
import dev.bulwark.workflow.queue.domain.Task;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Makes an execution's row as the {@link Engine} opens it (the engine stores it after the first decision step) and
 * closes it, and announces both ({@code STARTED}, {@code FINISHED}); closing other than FINISHED drops its queued and
 * running work.
 */
@ApplicationScoped
class ExecutionRecords {

    private final ExecutionEvents events;
    private final Outputs outputs;

    ExecutionRecords(ExecutionEvents events, Outputs outputs) {
        this.events = events;
        this.outputs = outputs;
    }

    Execution open(Workflow workflow, int version, JsonNode argument, int priority, String trigger,
                   UUID parentExecutionId, String parentActionId) {
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
        events.publish(ExecutionEvents.STARTED, execution.orgId, execution.id, execution.workflowId, null,
                execution.status.name(), execution.traceparent);
        return execution;
    }

    void close(Execution execution, Execution.Status status, String error) {
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
                status.name(), execution.traceparent);
        Log.debugf("Execution %s ended %s", execution.id, status);
    }
}
