package dev.bulwark.relay.indicator.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One indicator of one source, its value normalised (see {@link Normalizer}). */
@Entity
@Table(name = "indicator")
public class Indicator extends PanacheEntityBase {

    @Id
    public UUID id;
    /** The organisation the row belongs to; no query reads across organisations. */
    @Column(name = "org_id")
    public String orgId;
    public String type;
    public String value;
    @Column(columnDefinition = "cidr")
    @ColumnTransformer(write = "cast(? as cidr)")
    public String network;
    public short disposition;
    public String confidence;
    public String severity;
    public String source;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public List<String> tags;
    public String tlp;
    public String description;
    @Column(name = "valid_from")
    public Instant validFrom;
    @Column(name = "valid_until")
    public Instant validUntil;
    @Column(name = "external_id")
    public String externalId;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "external_references", columnDefinition = "jsonb")
    public List<ExternalReference> externalReferences;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
