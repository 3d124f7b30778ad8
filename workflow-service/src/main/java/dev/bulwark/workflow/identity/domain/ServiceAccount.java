package dev.bulwark.workflow.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** A machine client of one organisation (worker, dispatcher, backbone client…); only its secret's hash is stored. */
@Entity
@Table(name = "service_account")
public class ServiceAccount extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID orgId;
    public String name;
    public String clientId;
    public String secretHash;
    /** Comma-separated service roles. */
    public String roles;
    public Instant createdAt;
    public Instant rotatedAt;
    public Instant revokedAt;

    static ServiceAccount create(UUID orgId, String name, String clientId, String secretHash, Set<String> roles) {
        ServiceAccount account = new ServiceAccount();
        account.id = UUID.randomUUID();
        account.orgId = orgId;
        account.name = name;
        account.clientId = clientId;
        account.secretHash = secretHash;
        account.roles = String.join(",", new TreeSet<>(roles));
        account.createdAt = Instant.now();
        return account;
    }

    static Optional<ServiceAccount> byClientId(String clientId) {
        return find("clientId", clientId).firstResultOptional();
    }

    Set<String> roleSet() {
        return new TreeSet<>(Arrays.asList(roles.split(",")));
    }

    boolean active() {
        return revokedAt == null;
    }
}
