package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bulwark.workflow.execution.domain.ActionResult.Status;
import dev.bulwark.workflow.execution.messaging.ExecutionEvents;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.Outputs;
import dev.bulwark.workflow.queue.domain.Task;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Records how an action ended, for the {@link Engine}: its status, stored output and error, announced as an
 * {@code ACTION_FINISHED} event; a looping action's output is the list of its item results, its error the first
 * failed item's.
 */
@ApplicationScoped
class ActionOutcomes {

    private final Outputs outputs;
    private final ExecutionEvents events;
    private final ObjectMapper json;

    ActionOutcomes(Outputs outputs, ExecutionEvents events, ObjectMapper json) {
        this.outputs = outputs;
        this.events = events;
        this.json = json;
    }

    void complete(Execution execution, ActionResult result, Status status, String output, String error) {
        result.status = status;
        result.output = output;
        result.error = error;
        result.finishedAt = Instant.now();
        events.publish(ExecutionEvents.ACTION_FINISHED, execution.orgId, execution.id, execution.workflowId,
                result.actionId, status.name(), execution.traceparent);
    }

    /** Completes an action from its ended tasks: one, or one per item of a looping action in item order. */
    void completeFromTasks(Execution execution, ActionResult result, List<Task> tasks, boolean looping) {
        Task failed = tasks.stream().filter(t -> t.resultStatus == Task.Outcome.FAILURE).findFirst().orElse(null);
        String error = failed == null ? null : (looping ? "item " + failed.itemIndex + ": " : "") + failed.error;
        String output = null;
        if (looping) {
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
    }
}
