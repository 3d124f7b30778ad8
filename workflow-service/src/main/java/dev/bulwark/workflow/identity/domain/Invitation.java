package dev.bulwark.workflow.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A pending invitation of an address (lower-cased login) to one organisation with a role. */
@Entity
@Table(name = "invitation")
public class Invitation extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID orgId;
    public String email;
    public String role;
    public UUID invitedBy;
    public Instant createdAt;
    public Instant expiresAt;
}
