package dev.bulwark.workflow.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Recent failed logins of one principal ({@code user:<email>}, {@code client:<id>}, {@code key:<id>}). */
@Entity
@Table(name = "login_failure")
public class LoginFailure extends PanacheEntityBase {

    @Id
    public String principal;
    public int failures;
    public Instant windowStart;
    public Instant lockedUntil;
}
