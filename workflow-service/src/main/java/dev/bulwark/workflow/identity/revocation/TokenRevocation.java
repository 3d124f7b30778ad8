package dev.bulwark.workflow.identity.revocation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Tokens of one subject or credential ({@code id} = SHA-256 hex of it) issued before {@code notBefore} are void. */
@Entity
@Table(name = "token_revocation")
public class TokenRevocation extends PanacheEntityBase {

    @Id
    public String id;
    public Instant notBefore;
}
