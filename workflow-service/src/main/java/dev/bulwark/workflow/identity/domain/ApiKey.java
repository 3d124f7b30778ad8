package dev.bulwark.workflow.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A user's API key for one organisation; only its bcrypt hash is stored. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID userId;
    public UUID orgId;
    public String name;
    public String secretHash;
    public Instant createdAt;
    public Instant lastUsedAt;
    public Instant revokedAt;

    static ApiKey create(UUID userId, UUID orgId, String name, String secretHash) {
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.userId = userId;
        key.orgId = orgId;
        key.name = name;
        key.secretHash = secretHash;
        key.createdAt = Instant.now();
        return key;
    }

    boolean active() {
        return revokedAt == null;
    }
}
