package dev.bulwark.workflow.credential.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bulwark.common.error.Unavailable;
import dev.bulwark.common.security.AesGcm;
import dev.bulwark.workflow.config.EngineConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption: values are sealed with AES-256-GCM under a per-organisation data key; the data key is stored
 * sealed by a master key from configuration, with the master key's id so the master key can rotate. Each
 * ciphertext is bound (as associated data) to what it belongs to, so it cannot be moved to another row or org.
 */
@ApplicationScoped
public class Envelope {

    private final Map<String, SecretKey> masterKeys = new HashMap<>();
    private final String activeKeyId;
    /**
     * Unwrapped data keys of the organisations in use: bounded, and dropped after an hour unused, so decrypted keys of
     * organisations nobody works for do not stay in memory.
     */
    private final Cache<UUID, SecretKey> dataKeys = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    private final SecureRandom random = new SecureRandom();
    private final EntityManager em;

    Envelope(EngineConfig config, EntityManager em) {
        this.em = em;
        config.credentials().masterKeys().forEach((id, base64) ->
                masterKeys.put(id, AesGcm.key(base64, "bulwark.workflow.credentials.master-keys." + id)));
        this.activeKeyId = config.credentials().activeKeyId().orElse(null);
        if (activeKeyId != null && !masterKeys.containsKey(activeKeyId)) {
            throw new IllegalStateException("bulwark.workflow.credentials.active-key-id names no configured master key");
        }
    }

    /** Rewraps data keys sealed by a master key other than the active one, so old master keys can be retired. */
    void rewrapOnStart(@Observes StartupEvent start) {
        if (activeKeyId == null) {
            Log.warn("No credential master key configured (bulwark.workflow.credentials.*): credentials and "
                    + "webhook secrets are unavailable");
            return;
        }
        List<OrgDataKey> stale = QuarkusTransaction.requiringNew().call(() ->
                OrgDataKey.<OrgDataKey>list("keyId <> ?1", activeKeyId));
        for (OrgDataKey row : stale) {
            QuarkusTransaction.requiringNew().run(() -> {
                OrgDataKey key = OrgDataKey.findById(row.orgId);
                SecretKey master = masterKeys.get(key.keyId);
                if (master == null) {
                    Log.errorf("Data key of org %s is sealed by unknown master key '%s'", key.orgId, key.keyId);
                    return;
                }
                byte[] plain = open(master, key.wrappedKey, aad("data-key", key.orgId));
                key.wrappedKey = seal(masterKeys.get(activeKeyId), plain, aad("data-key", key.orgId));
                key.keyId = activeKeyId;
                key.rewrappedAt = Instant.now();
            });
        }
        if (!stale.isEmpty()) {
            Log.infof("Rewrapped %d organisation data keys with master key '%s'", stale.size(), activeKeyId);
        }
    }

    /** Seals a value for the organisation, bound to {@code purpose} (e.g. a credential id). */
    public byte[] seal(UUID orgId, String purpose, byte[] plain) {
        return seal(dataKey(orgId), plain, aad(purpose, orgId));
    }

    public byte[] open(UUID orgId, String purpose, byte[] sealed) {
        return open(dataKey(orgId), sealed, aad(purpose, orgId));
    }

    private SecretKey dataKey(UUID orgId) {
        SecretKey cached = dataKeys.getIfPresent(orgId);
        if (cached != null) {
            return cached;
        }
        if (activeKeyId == null) {
            throw new Unavailable("No credential master key is configured", null);
        }
        OrgDataKey row = OrgDataKey.findById(orgId);
        if (row == null) {
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            // Concurrent first uses race here: the first insert wins and everyone reads its key back.
            em.createNativeQuery("insert into org_data_key (org_id, key_id, wrapped_key, created_at) "
                            + "values (?1, ?2, ?3, now()) on conflict (org_id) do nothing")
                    .setParameter(1, orgId).setParameter(2, activeKeyId)
                    .setParameter(3, seal(masterKeys.get(activeKeyId), fresh, aad("data-key", orgId)))
                    .executeUpdate();
            row = OrgDataKey.findById(orgId);
        }
        SecretKey master = masterKeys.get(row.keyId);
        if (master == null) {
            throw new Unavailable("The master key '" + row.keyId + "' of this organisation's data key is not configured",
                    null);
        }
        SecretKey key = new SecretKeySpec(open(master, row.wrappedKey, aad("data-key", orgId)), "AES");
        dataKeys.put(orgId, key);
        return key;
    }

    private static byte[] seal(SecretKey key, byte[] plain, byte[] aad) {
        return AesGcm.seal(key, plain, aad);
    }

    private static byte[] open(SecretKey key, byte[] sealed, byte[] aad) {
        try {
            return AesGcm.open(key, sealed, aad);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: wrong key or tampered data", e);
        }
    }

    private static byte[] aad(String purpose, UUID orgId) {
        return (purpose + "|" + orgId).getBytes(StandardCharsets.UTF_8);
    }
}
