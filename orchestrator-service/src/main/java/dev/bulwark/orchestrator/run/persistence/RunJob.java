package dev.bulwark.orchestrator.run.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * The job of a running run, sealed, so that another instance can restart the run's sessions when the one running
 * them stops. Deleted when the run ends: the job holds the credentials of the system under test.
 */
@Entity
@Table(name = "run_job")
public class RunJob extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public UUID runId;
    /** The job as submitted, sealed with the job key and bound to the run id. */
    public byte[] sealed;
    @Column(name = "session_timeout_ms")
    public long sessionTimeoutMs;
}
