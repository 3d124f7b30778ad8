package dev.bulwark.workflow.execution.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** The outcome of one action of an execution (RUNNING while its tasks or its subflow are under way). */
@Entity
@Table(name = "action_result")
@IdClass(ActionResult.Key.class)
public class ActionResult extends PanacheEntityBase {

    public enum Status {
        RUNNING, SUCCESS, FAILURE, SKIPPED, ABORTED
    }

    @Id
    public UUID executionId;
    @Id
    public String actionId;
    @Enumerated(EnumType.STRING)
    public Status status;
    public int attempt;
    public Instant startedAt;
    public Instant finishedAt;
    /** JSON, size-capped. */
    public String output;
    public String error;

    public record Key(UUID executionId, String actionId) implements Serializable {
    }

    static ActionResult start(UUID executionId, String actionId, Status status) {
        ActionResult result = new ActionResult();
        result.executionId = executionId;
        result.actionId = actionId;
        result.status = status;
        result.attempt = status == Status.SKIPPED ? 0 : 1;
        result.startedAt = Instant.now();
        if (status != Status.RUNNING) {
            result.finishedAt = result.startedAt;
        }
        return result;
    }
}
