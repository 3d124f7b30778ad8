package dev.bulwark.orchestrator.run.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A test run: what is needed to show it, clean it up, and lease it to the service instance that runs it. Its job,
 * credentials included, is sealed in {@link RunJob} until the run ends.
 */
@Entity
@Table(name = "test_run")
public class TestRun extends PanacheEntityBase {

    public enum Status { RUNNING, FINISHED, FAILED, CANCELLED;

        public boolean active() {
            return this == RUNNING;
        }
    }

    @Id
    public UUID id;
    public String org;
    @Column(name = "created_by")
    public String createdBy;
    /** {@code api} or {@code purpleteam}: which API started the run. */
    public String origin;
    @Column(name = "job_type")
    public String jobType;
    public String target;
    public String medium;
    @Enumerated(EnumType.STRING)
    public Status status;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** The service instance running the run, while it holds the lease. */
    public String owner;
    /** Until when {@link #owner} holds the run; afterwards any instance may claim it. */
    @Column(name = "lease_until")
    public Instant leaseUntil;
    /** How many times an instance claimed the run after the one running it stopped. */
    public int claims;
}
