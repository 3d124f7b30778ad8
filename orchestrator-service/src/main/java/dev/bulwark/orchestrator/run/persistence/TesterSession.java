package dev.bulwark.orchestrator.run.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** One session of one tester in a run, with its live progress. */
@Entity
@Table(name = "tester_session")
public class TesterSession extends PanacheEntityBase {

    public enum Status { QUEUED, RUNNING, FINISHED, FAILED, CANCELLED;

        public boolean terminal() {
            return this == FINISHED || this == FAILED || this == CANCELLED;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "run_id")
    public UUID runId;
    public String tester;
    @Column(name = "session_id")
    public String sessionId;
    @Enumerated(EnumType.STRING)
    public Status status;
    @Column(name = "pct_complete")
    public int pctComplete;
    public int findings;
    /** Why the session failed, when it did. */
    public String message;
}
