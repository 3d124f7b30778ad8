package dev.bulwark.workflow.definition.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One saved version of a workflow document (JSON), never changed after it was saved. */
@Entity
@Table(name = "workflow_version")
@IdClass(WorkflowVersion.Key.class)
public class WorkflowVersion extends PanacheEntityBase {

    @Id
    public UUID workflowId;
    @Id
    public int version;
    public String document;
    public Instant createdAt;

    public record Key(UUID workflowId, int version) implements Serializable {
    }
}
