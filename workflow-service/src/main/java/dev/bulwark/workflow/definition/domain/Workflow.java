package dev.bulwark.workflow.definition.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A workflow of an organisation; {@link #version} is its current version in {@link WorkflowVersion}. */
@Entity
@Table(name = "workflow")
public class Workflow extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID orgId;
    public String name;
    public int version;
    public Instant createdAt;
    public Instant updatedAt;
}
