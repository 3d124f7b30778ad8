package dev.bulwark.workflow.identity.domain;

import dev.bulwark.workflow.identity.config.IdentityConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;

/**
 * The brute-force defence: after too many failures for one principal within a window, every attempt for it is
 * refused until a cooling period ends, whatever the secret. Counts live in PostgreSQL, so all replicas share them.
 */
@ApplicationScoped
public class LoginThrottle {

    private final IdentityConfig.Lockout config;
    private final EntityManager entityManager;

    LoginThrottle(IdentityConfig config, EntityManager entityManager) {
        this.config = config.lockout();
        this.entityManager = entityManager;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void ensureNotLocked(String principal) {
        LoginFailure failure = LoginFailure.findById(principal);
        Instant now = Instant.now();
        if (failure != null && failure.lockedUntil != null && failure.lockedUntil.isAfter(now)) {
            throw new TooManyAttempts(Duration.between(now, failure.lockedUntil));
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordFailure(String principal) {
        Instant now = Instant.now();
        Number failures = (Number) entityManager.createNativeQuery("""
                insert into login_failure (principal, failures, window_start) values (:principal, 1, :now)
                on conflict (principal) do update set
                  failures = case when login_failure.window_start < :windowStart then 1
                                  else login_failure.failures + 1 end,
                  window_start = case when login_failure.window_start < :windowStart then :now
                                      else login_failure.window_start end
                returning failures""")
                .setParameter("principal", principal)
                .setParameter("now", now)
                .setParameter("windowStart", now.minus(config.window()))
                .getSingleResult();
        if (failures.intValue() >= config.maxFailures()) {
            entityManager.createNativeQuery("""
                    update login_failure set locked_until = :until, failures = 0, window_start = :now
                    where principal = :principal""")
                    .setParameter("until", now.plus(config.cooldown()))
                    .setParameter("now", now)
                    .setParameter("principal", principal)
                    .executeUpdate();
            Log.warnf("Locked sign-in for %s for %s after %d failures", principal, config.cooldown(),
                    failures.intValue());
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordSuccess(String principal) {
        LoginFailure.deleteById(principal);
    }
}
