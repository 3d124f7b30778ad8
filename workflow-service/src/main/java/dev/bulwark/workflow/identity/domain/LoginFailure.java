package dev.bulwark.workflow.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Recent failed sign-ins of one pair {@code pair:<principal>|<source>} (principal {@code user:<email>},
 * {@code client:<id>} or {@code key:<id>}) or one source address {@code source:<address>}, and until when the next
 * attempt waits ({@code lockedUntil}); {@code windowStart} is the time of the latest failure.
 */
@Entity
@Table(name = "login_failure")
public class LoginFailure extends PanacheEntityBase {

    @Id
    public String principal;
    public int failures;
    public Instant windowStart;
    public Instant lockedUntil;
}
