package dev.bulwark.workflow.credential.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An app credential: field names and a masked preview in clear, the field values only as ciphertext. */
@Entity
@Table(name = "credential")
public class Credential extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID orgId;
    public String name;
    public String app;
    /** Comma-separated host allow-list entries ({@link AllowedHosts}); {@code null} for container apps. */
    public String allowedHosts;
    /** Comma-separated field names. */
    public String fieldNames;
    /** JSON object: field name to masked value. */
    public String preview;
    /** nonce || AES-256-GCM ciphertext of the fields as JSON, under the organisation's data key. */
    public byte[] ciphertext;
    public Instant createdAt;
}
