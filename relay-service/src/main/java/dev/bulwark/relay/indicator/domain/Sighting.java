package dev.bulwark.relay.indicator.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A feed's report that an indicator was seen, {@code count} times between first and last seen. */
@Entity
@Table(name = "sighting")
public class Sighting extends PanacheEntityBase {

    @Id
    public UUID id;
    /** The organisation the row belongs to; no query reads across organisations. */
    @Column(name = "org_id")
    public String orgId;
    @Column(name = "indicator_id")
    public UUID indicatorId;
    @Column(name = "external_id")
    public String externalId;
    public int count;
    @Column(name = "first_seen")
    public Instant firstSeen;
    @Column(name = "last_seen")
    public Instant lastSeen;
    public String title;
    public String description;
    public String source;
}
