package dev.bulwark.workflow.credential.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An organisation's AES-256 data key, wrapped (AES-GCM) by the master key {@link #keyId}. */
@Entity
@Table(name = "org_data_key")
public class OrgDataKey extends PanacheEntityBase {

    @Id
    public UUID orgId;
    public String keyId;
    public byte[] wrappedKey;
    public Instant createdAt;
    public Instant rewrappedAt;
}
