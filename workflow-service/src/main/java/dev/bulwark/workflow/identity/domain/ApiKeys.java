package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.NotFound;
import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.identity.revocation.Revocations;
import dev.bulwark.common.security.Redacted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user's API keys: created with the key shown once, listed without it, revoked for good. */
@ApplicationScoped
public class ApiKeys {

    private final Secrets secrets;
    private final Revocations revocations;

    ApiKeys(Secrets secrets, Revocations revocations) {
        this.secrets = secrets;
        this.revocations = revocations;
    }

    public record CreatedKey(UUID id, String name, String apiKey) {

        @Override
        public String toString() {
            return "CreatedKey[id=" + id + ", name=" + name + ", apiKey=" + Redacted.of(apiKey) + "]";
        }
    }

    public record KeyView(UUID id, String name, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    }

    @Transactional
    public CreatedKey create(Caller caller, String name) {
        String secret = secrets.newSecret();
        ApiKey key = ApiKey.create(caller.userId(), caller.org(), name, secrets.hash(secret));
        key.persist();
        return new CreatedKey(key.id, key.name, Grants.ParsedKey.format(key.id, secret));
    }

    public List<KeyView> listOwn(Caller caller) {
        return ApiKey.<ApiKey>list("userId = ?1 and orgId = ?2 order by createdAt", caller.userId(), caller.org())
                .stream().map(k -> new KeyView(k.id, k.name, k.createdAt, k.lastUsedAt, k.revokedAt)).toList();
    }

    /** The owner revokes their key; an admin any key of the organisation. */
    @Transactional
    public void revoke(Caller caller, UUID id) {
        ApiKey key = ApiKey.<ApiKey>findByIdOptional(id)
                .filter(k -> k.orgId.equals(caller.org()))
                .filter(k -> caller.roles().contains(Roles.ADMIN) || k.userId.equals(caller.userId()))
                .orElseThrow(() -> new NotFound("API key", id));
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now();
            revocations.revoke(key.id.toString());
        }
    }
}
