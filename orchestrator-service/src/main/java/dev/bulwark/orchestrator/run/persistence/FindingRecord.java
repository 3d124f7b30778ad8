package dev.bulwark.orchestrator.run.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A stored finding of a tester session. */
@Entity
@Table(name = "finding")
public class FindingRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "run_id")
    public UUID runId;
    public String tester;
    @Column(name = "session_id")
    public String sessionId;
    public String kind;
    public String severity;
    public String title;
    public String location;
    public String evidence;
}
