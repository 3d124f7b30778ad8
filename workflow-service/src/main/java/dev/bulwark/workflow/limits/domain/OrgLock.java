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

    public void lock(UUID orgId, Purpose purpose) {
        int key = Long.hashCode(orgId.getMostSignificantBits() ^ orgId.getLeastSignificantBits());
        em.createNativeQuery("select cast(pg_advisory_xact_lock(:purpose, :org) as text)")
                .setParameter("purpose", 0x62770000 + purpose.ordinal())
                .setParameter("org", key)
                .getSingleResult();
    }
}
