package dev.bulwark.workflow.identity.domain;

import dev.bulwark.workflow.identity.config.IdentityConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The brute-force defence: progressive delays, never a lockout. Each failure counts for the pair (principal,
 * source address) and for the source address; past a number of free failures, each further one doubles the time
 * before that pair or source may try again, up to a cap. An attempt during its delay is refused before any secret
 * is checked. A stranger's failures therefore slow down only the stranger's own address, and the owner signs in
 * from any other. Counts live in PostgreSQL (table {@code login_failure}), so all replicas share them.
 */
@ApplicationScoped
public class LoginThrottle {

    private final IdentityConfig.Throttle config;
    private final EntityManager entityManager;

    LoginThrottle(IdentityConfig config, EntityManager entityManager) {
        this.config = config.throttle();
        this.entityManager = entityManager;
    }

    /** Throws {@link TooManyAttempts} while the pair or the source waits out a delay. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void ensureAllowed(String principal, String source) {
        Instant now = Instant.now();
        List<?> until = entityManager.createNativeQuery("""
                select max(locked_until) from login_failure where principal in (:pair, :source)""")
                .setParameter("pair", pairKey(principal, source))
                .setParameter("source", sourceKey(source))
                .getResultList();
        Instant notBefore = until.isEmpty() || until.get(0) == null ? null : toInstant(until.get(0));
        if (notBefore != null && notBefore.isAfter(now)) {
            throw new TooManyAttempts(Duration.between(now, notBefore));
        }
    }

    /** Counts a failure of an unparseable credential, which names no principal, against the source only. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordSourceFailure(String source) {
        count(sourceKey(source), config.sourceFreeFailures(), config.sourceMaxDelay());
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordFailure(String principal, String source) {
        Duration pairDelay = count(pairKey(principal, source), config.freeFailures(), config.maxDelay());
        Duration sourceDelay = count(sourceKey(source), config.sourceFreeFailures(), config.sourceMaxDelay());
        if (!pairDelay.isZero() || !sourceDelay.isZero()) {
            Log.debugf("Sign-in failures: next attempt for this principal from %s in %s, from the source in %s",
                    source, pairDelay, sourceDelay);
        }
    }

    /** A success forgets the pair's failures; the source's count stays, so own logins cannot launder a spray. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordSuccess(String principal, String source) {
        LoginFailure.deleteById(pairKey(principal, source));
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void forgetOldFailures() {
        entityManager.createNativeQuery("""
                delete from login_failure where window_start < :before
                and (locked_until is null or locked_until < :now)""")
                .setParameter("before", Instant.now().minus(config.forgetAfter()))
                .setParameter("now", Instant.now())
                .executeUpdate();
    }

    /** The delay after the {@code failures}-th failure in a row: none, then initial, doubling, capped. */
    static Duration delayAfter(int failures, int free, Duration initial, Duration max) {
        if (failures <= free) {
            return Duration.ZERO;
        }
        Duration delay = initial;
        for (int i = free + 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private Duration count(String key, int free, Duration max) {
        Instant now = Instant.now();
        Number failures = (Number) entityManager.createNativeQuery("""
                insert into login_failure (principal, failures, window_start) values (:key, 1, :now)
                on conflict (principal) do update set
                  failures = case when login_failure.window_start < :forgotten then 1
                                  else login_failure.failures + 1 end,
                  window_start = :now
                returning failures""")
                .setParameter("key", key)
                .setParameter("now", now)
                .setParameter("forgotten", now.minus(config.forgetAfter()))
                .getSingleResult();
        Duration delay = delayAfter(failures.intValue(), free, config.initialDelay(), max);
        if (!delay.isZero()) {
            entityManager.createNativeQuery("update login_failure set locked_until = :until where principal = :key")
                    .setParameter("until", now.plus(delay))
                    .setParameter("key", key)
                    .executeUpdate();
        }
        return delay;
    }

    private static String pairKey(String principal, String source) {
        String name = principal.length() <= 200 ? principal : "sha256:" + HexFormat.of().formatHex(sha256(principal));
        return "pair:" + name + "|" + network(source);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sourceKey(String source) {
        return "source:" + network(source);
    }

    /** IPv4 addresses count one by one; IPv6 addresses by their /64, which one host usually holds entirely. */
    static String network(String source) {
        if (source == null || !(source.indexOf(':') >= 0 || source.matches("[0-9.]+"))) {
            return "unknown";
        }
        try {
            InetAddress address = InetAddress.getByName(source);
            if (address instanceof Inet6Address) {
                byte[] bytes = Arrays.copyOf(address.getAddress(), 16);
                Arrays.fill(bytes, 8, 16, (byte) 0);
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
    }
}
