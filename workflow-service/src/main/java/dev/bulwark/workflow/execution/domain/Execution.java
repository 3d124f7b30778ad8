package dev.bulwark.workflow.execution.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One run of a workflow version; its state machine is owned by the {@link Engine}. */
@Entity
@Table(name = "execution")
public class Execution extends PanacheEntityBase {

    public enum Status {
        EXECUTING, WAITING, FINISHED, FAILED, ABORTED;

        public boolean terminal() {
            return this == FINISHED || this == FAILED || this == ABORTED;
        }
    }

    @Id
    public UUID id;
    public UUID orgId;
    public UUID workflowId;
    public int workflowVersion;
    @Enumerated(EnumType.STRING)
    public Status status;
    /** {@code manual}, {@code webhook}, {@code schedule}, {@code subflow} or {@code rerun}. */
    public String triggerType;
    public int priority;
    /** The execution argument as JSON, or null. */
    public String argument;
    /** Why a FAILED or ABORTED execution ended. */
    public String error;
    public UUID parentExecutionId;
    public String parentActionId;
    public Instant startedAt;
    public Instant finishedAt;
    public Instant updatedAt;
    /** Tasks queued for agents so far, for {@code max-tasks-per-execution}. */
    public int taskCount;
    /** The W3C trace context of the request that started it, or null; workers continue the trace from it. */
    public String traceparent;
    /** Set while the engine advances this execution, so a subflow ending at once does not re-enter it. */
    @Transient
    public boolean advancing;
    /**
     * Set while a caller's request starts this execution: going over a limit then refuses the request (4xx, nothing
     * stored) instead of failing an action.
     */
    @Transient
    public boolean refuseOverLimits;
    /**
     * The results the engine decides with, by action id ({@link NextSteps#results}): read once per transaction, and
     * every result the engine starts is added here as it is persisted.
     */
    @Transient
    Map<String, ActionResult> results;
}
