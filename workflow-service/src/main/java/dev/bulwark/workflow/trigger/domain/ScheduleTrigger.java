package dev.bulwark.workflow.trigger.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A cron trigger of a workflow's current version and when it fires next. */
@Entity
@Table(name = "schedule_trigger")
@IdClass(ScheduleTrigger.Key.class)
public class ScheduleTrigger extends PanacheEntityBase {

    @Id
    public UUID workflowId;
    @Id
    public int position;
    public UUID orgId;
    public String cron;
    /** The execution argument as JSON, or null. */
    public String argument;
    public Instant nextFireAt;

    public record Key(UUID workflowId, int position) implements Serializable {
    }
}
