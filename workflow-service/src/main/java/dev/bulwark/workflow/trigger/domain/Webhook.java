package dev.bulwark.workflow.trigger.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The webhook of a workflow; its secret is sealed under the organisation's data key. */
@Entity
@Table(name = "webhook")
public class Webhook extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID workflowId;
    public UUID orgId;
    public byte[] secret;
    public Instant createdAt;
}
