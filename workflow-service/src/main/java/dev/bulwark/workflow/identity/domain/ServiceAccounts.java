package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.identity.revocation.Revocations;
import dev.bulwark.common.security.Redacted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Machine clients of an organisation, managed by its admins. Secrets are shown once, at creation or rotation. */
@ApplicationScoped
public class ServiceAccounts {

    /** Roles a service account may hold: never a person's role. */
    public static final Set<String> SERVICE_ROLES =
            Set.of(Roles.WORKER, Roles.DISPATCHER, Roles.BACKBONE_CLIENT, Roles.RELAY_CLIENT);

    private final Secrets secrets;
    private final Revocations revocations;

    ServiceAccounts(Secrets secrets, Revocations revocations) {
        this.secrets = secrets;
        this.revocations = revocations;
    }

    public record Credentials(UUID id, String name, String clientId, String clientSecret, Set<String> roles) {

        @Override
        public String toString() {
            return "Credentials[id=" + id + ", name=" + name + ", clientId=" + clientId + ", clientSecret="
                    + Redacted.of(clientSecret) + ", roles=" + roles + "]";
        }
    }

    public record AccountView(UUID id, String name, String clientId, Set<String> roles, Instant createdAt,
                              Instant rotatedAt, Instant revokedAt) {
    }

    @Transactional
    public Credentials create(UUID orgId, String name, Set<String> roles) {
        if (roles.isEmpty() || !SERVICE_ROLES.containsAll(roles)) {
            throw new Invalid("roles must be a non-empty subset of " + SERVICE_ROLES.stream().sorted().toList());
        }
        if (ServiceAccount.count("orgId = ?1 and name = ?2 and revokedAt is null", orgId, name) > 0) {
            throw new Conflict("A service account named '" + name + "' exists already");
        }
        String secret = secrets.newSecret();
        String clientId = "sa-" + UUID.randomUUID().toString().replace("-", "");
        ServiceAccount account = ServiceAccount.create(orgId, name, clientId, secrets.hash(secret), roles);
        account.persist();
        return new Credentials(account.id, account.name, account.clientId, secret, account.roleSet());
    }

    public List<AccountView> list(UUID orgId) {
        return ServiceAccount.<ServiceAccount>list("orgId = ?1 order by createdAt", orgId).stream()
                .map(ServiceAccounts::view).toList();
    }

    public AccountView get(UUID orgId, UUID id) {
        return view(find(orgId, id));
    }

    @Transactional
    public Credentials rotateSecret(UUID orgId, UUID id) {
        ServiceAccount account = find(orgId, id);
        if (!account.active()) {
            throw new Conflict("Service account " + id + " is revoked");
        }
        String secret = secrets.newSecret();
        account.secretHash = secrets.hash(secret);
        account.rotatedAt = Instant.now();
        revocations.revoke(account.id.toString());
        return new Credentials(account.id, account.name, account.clientId, secret, account.roleSet());
    }

    @Transactional
    public void revoke(UUID orgId, UUID id) {
        ServiceAccount account = find(orgId, id);
        if (account.revokedAt == null) {
            account.revokedAt = Instant.now();
            revocations.revoke(account.id.toString());
        }
    }

    private static ServiceAccount find(UUID orgId, UUID id) {
        return ServiceAccount.<ServiceAccount>findByIdOptional(id).filter(a -> a.orgId.equals(orgId))
                .orElseThrow(() -> new NotFound("service account", id));
    }

    private static AccountView view(ServiceAccount a) {
        return new AccountView(a.id, a.name, a.clientId, a.roleSet(), a.createdAt, a.rotatedAt, a.revokedAt);
    }
}
