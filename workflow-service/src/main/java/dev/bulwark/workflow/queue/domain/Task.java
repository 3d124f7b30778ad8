package dev.bulwark.workflow.queue.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One app action with its parameters resolved, queued for agents (one per item when the action loops). It never
 * holds credential values, only the credential's id.
 */
@Entity
@Table(name = "task")
public class Task extends PanacheEntityBase {

    public enum Status {
        QUEUED, RUNNING, DONE, ABORTED
    }

    public enum Outcome {
        SUCCESS, FAILURE
    }

    @Id
    public UUID id;
    public UUID orgId;
    public UUID executionId;
    public String actionId;
    public int itemIndex;
    public String app;
    public String action;
    public String image;
    /** The added app (pinned version) the task runs, for applying its authentication at the claim. */
    public UUID appId;
    /** The resolved parameters as JSON. */
    public String parameters;
    public UUID credentialId;
    public String environment;
    public int priority;
    @Enumerated(EnumType.STRING)
    public Status status;
    /** Claims so far; the current lease belongs to this attempt. */
    public int attempt;
    public int timeoutSeconds;
    public Instant leaseExpiresAt;
    @Enumerated(EnumType.STRING)
    public Outcome resultStatus;
    public String output;
    public String error;
    public Instant createdAt;
    public Instant startedAt;
    public Instant finishedAt;
}
