package dev.bulwark.workflow.execution.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.workflow.definition.domain.Workflow;
import dev.bulwark.workflow.definition.domain.Workflows;
import dev.bulwark.workflow.limits.domain.Outputs;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Starting, reading, aborting and re-running executions of an organisation. */
@ApplicationScoped
public class Executions {

    private final Engine engine;
    private final Workflows workflows;
    private final Outputs outputs;
    private final ExecutionQuota quota;

    Executions(Engine engine, Workflows workflows, Outputs outputs, ExecutionQuota quota) {
        this.engine = engine;
        this.workflows = workflows;
        this.outputs = outputs;
        this.quota = quota;
    }

    public record Started(UUID executionId, Execution.Status status) {
    }

    public record ResultView(String actionId, ActionResult.Status status, int attempt, Instant startedAt,
                             Instant finishedAt, JsonNode output, String error) {
    }

    public record ExecutionView(UUID id, UUID workflowId, int workflowVersion, Execution.Status status,
                                String trigger, int priority, JsonNode argument, String error,
                                UUID parentExecutionId, Instant startedAt, Instant finishedAt,
                                List<ResultView> results) {
    }

    public record Summary(UUID id, UUID workflowId, int workflowVersion, Execution.Status status, String trigger,
                          Instant startedAt, Instant finishedAt) {
    }

    public record PageView(List<Summary> items, int page, int size, long total) {
    }

    /** Counted against the organisation's quota before it starts ({@link ExecutionQuota#counted}). */
    public Started execute(UUID orgId, UUID workflowId, JsonNode argument, int priority, String trigger) {
        return quota.counted(orgId, () -> {
            Workflow workflow = workflows.find(orgId, workflowId);
            Execution execution = engine.startCounted(workflow, workflow.version, argument, priority, trigger);
            return new Started(execution.id, execution.status);
        });
    }

    public ExecutionView get(UUID orgId, UUID id) {
        Execution e = find(orgId, id);
        List<ResultView> results = ActionResult.<ActionResult>list("executionId", Sort.by("startedAt")
                        .and("actionId"), e.id).stream()
                .map(r -> new ResultView(r.actionId, r.status, r.attempt, r.startedAt, r.finishedAt,
                        outputs.read(r.output), r.error)).toList();
        return new ExecutionView(e.id, e.workflowId, e.workflowVersion, e.status, e.triggerType, e.priority,
                outputs.read(e.argument), e.error, e.parentExecutionId, e.startedAt, e.finishedAt, results);
    }

    /** Whether the execution is active: execution tokens are only good while it is. */
    public boolean active(UUID orgId, UUID id) {
        return Execution.<Execution>findByIdOptional(id).filter(e -> e.orgId.equals(orgId))
                .map(e -> !e.status.terminal()).orElse(false);
    }

    public PageView list(UUID orgId, UUID workflowId, Execution.Status status, int page, int size) {
        StringBuilder query = new StringBuilder("orgId = :org");
        Parameters parameters = Parameters.with("org", orgId);
        if (workflowId != null) {
            query.append(" and workflowId = :workflow");
            parameters.and("workflow", workflowId);
        }
        if (status != null) {
            query.append(" and status = :status");
            parameters.and("status", status);
        }
        var found = Execution.<Execution>find(query.toString(), Sort.by("startedAt", Sort.Direction.Descending)
                .and("id"), parameters).page(Page.of(page, size));
        List<Summary> items = found.list().stream().map(e -> new Summary(e.id, e.workflowId, e.workflowVersion,
                e.status, e.triggerType, e.startedAt, e.finishedAt)).toList();
        return new PageView(items, page, size, found.count());
    }

    @Transactional
    public ExecutionView abort(UUID orgId, UUID id) {
        find(orgId, id);
        Execution execution = engine.lock(id);
        if (execution.status.terminal()) {
            throw new Conflict("Execution " + id + " has ended already (" + execution.status + ")");
        }
        engine.abort(execution, "aborted by a user");
        return get(orgId, id);
    }

    /** Runs the same workflow version again with the same argument and priority, as a new execution. */
    public Started rerun(UUID orgId, UUID id) {
        return quota.counted(orgId, () -> {
            Execution previous = find(orgId, id);
            Workflow workflow = workflows.find(orgId, previous.workflowId);
            Execution execution = engine.startCounted(workflow, previous.workflowVersion,
                    outputs.read(previous.argument), previous.priority, "rerun");
            return new Started(execution.id, execution.status);
        });
    }

    private static Execution find(UUID orgId, UUID id) {
        return Execution.<Execution>findByIdOptional(id).filter(e -> e.orgId.equals(orgId))
                .orElseThrow(() -> new NotFound("execution", id));
    }
}
