package dev.bulwark.workflow.limits.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.UUID;

/**
 * A PostgreSQL advisory lock per organisation and purpose, held until the current transaction ends: checking a quota
 * and using it happen one transaction after the other for an organisation, on every replica.
 */
@ApplicationScoped
public class OrgLock {

    /** What the lock guards; its ordinal is the lock's first key. */
    public enum Purpose { EXECUTION_RATE, SCHEDULES }

    private final EntityManager em;

    OrgLock(EntityManager em) {
        this.em = em;
    }

    /** The two keys of {@code pg_advisory_xact_lock(int, int)} for an organisation and purpose. */
    public record Key(int purpose, int org) {
    }

    public static Key key(UUID orgId, Purpose purpose) {
        return new Key(0x62770000 + purpose.ordinal(),
                Long.hashCode(orgId.getMostSignificantBits() ^ orgId.getLeastSignificantBits()));
    }

    public void lock(UUID orgId, Purpose purpose) {
        Key key = key(orgId, purpose);
        em.createNativeQuery("select cast(pg_advisory_xact_lock(:purpose, :org) as text)")
                .setParameter("purpose", key.purpose())
                .setParameter("org", key.org())
                .getSingleResult();
    }
}
