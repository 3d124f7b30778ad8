package dev.bulwark.relay.feed.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A feed pulled on a schedule, with the validators of its last download for conditional requests. */
@Entity
@Table(name = "feed")
public class Feed extends PanacheEntityBase {

    @Id
    public UUID id;
    /** The organisation the row belongs to; no query reads across organisations. */
    @Column(name = "org_id")
    public String orgId;
    public String name;
    public String url;
    public String format;
    public Short disposition;
    @Column(name = "interval_seconds")
    public int intervalSeconds;
    public String etag;
    @Column(name = "last_modified")
    public String lastModified;
    @Column(name = "last_pulled_at")
    public Instant lastPulledAt;
    @Column(name = "last_outcome")
    public String lastOutcome;
    @Column(name = "created_at")
    public Instant createdAt;
}
