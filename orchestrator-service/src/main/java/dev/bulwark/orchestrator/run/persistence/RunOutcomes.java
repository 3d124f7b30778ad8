package dev.bulwark.orchestrator.run.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** The outcomes zip of an ended run, in the database so that every service instance serves it. */
@Entity
@Table(name = "run_outcomes")
public class RunOutcomes extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public UUID runId;
    public byte[] archive;
}
