package dev.bulwark.workflow.trigger.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.common.error.ProblemException;
import dev.bulwark.workflow.definition.domain.Workflow;
import dev.bulwark.workflow.execution.domain.Engine;
import dev.bulwark.workflow.execution.domain.Execution;
import dev.bulwark.workflow.execution.domain.Executions;
import dev.bulwark.workflow.trigger.config.WebhookConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Starts workflows from their webhook, for callers that prove they hold its secret: the secret itself in
 * {@code X-Bulwark-Hook-Secret}, or a signature {@code X-Bulwark-Signature: sha256=<hex HMAC-SHA256(secret,
 * timestamp + "." + body)>} with the Unix time in {@code X-Bulwark-Timestamp}. A signed request is accepted once,
 * and only while its timestamp is within the tolerance of now, so a captured one cannot be replayed.
 */
@ApplicationScoped
public class Hooks {

    private final TriggerRegistry registry;
    private final Engine engine;
    private final WebhookConfig config;
    private final EntityManager entityManager;

    Hooks(TriggerRegistry registry, Engine engine, WebhookConfig config, EntityManager entityManager) {
        this.registry = registry;
        this.engine = engine;
        this.config = config;
        this.entityManager = entityManager;
    }

    /** The secret, the signature, its timestamp or its freshness was not accepted: 401. */
    static class Refused extends ProblemException {
        Refused(String detail) {
            super(401, "unauthorized", "Unauthorized", detail, null, null);
        }
    }

    /** The hook remembers as many signatures as it may: 429 until the oldest leave the tolerance. */
    static class TooManyDeliveries extends ProblemException {
        private final long retryAfterSeconds;

        TooManyDeliveries(Duration retryAfter) {
            super(429, "too-many-deliveries", "Too many webhook deliveries",
                    "This webhook received too many signed deliveries within the signature tolerance; retry later",
                    null, null);
            this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
        }

        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("Retry-After", Long.toString(retryAfterSeconds));
        }
    }

    /**
     * @param secret    the {@code X-Bulwark-Hook-Secret} header, or null
     * @param signature the {@code X-Bulwark-Signature} header, or null
     * @param timestamp the {@code X-Bulwark-Timestamp} header (Unix seconds), or null
     */
    @Transactional
    public Executions.Started fire(UUID hookId, byte[] body, JsonNode argument, String secret, String signature,
                                   String timestamp) {
        Webhook hook = Webhook.findById(hookId);
        if (hook == null) {
            throw new NotFound("webhook", hookId);
        }
        String expected = registry.secret(hook);
        boolean bySecret = secret != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
        if (!bySecret) {
            if (signature == null) {
                throw new Refused("The webhook secret or signature was not accepted");
            }
            checkSignature(hook, expected, body, signature, timestamp);
        }
        Workflow workflow = Workflow.findById(hook.workflowId);
        Execution execution = engine.start(workflow, argument, 5, "webhook");
        return new Executions.Started(execution.id, execution.status);
    }

    private void checkSignature(Webhook hook, String secret, byte[] body, String signature, String timestamp) {
        long seconds;
        try {
            seconds = timestamp == null ? -1 : Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0) {
            throw new Refused("Signed webhook requests need X-Bulwark-Timestamp (Unix seconds), and the signature "
                    + "covers timestamp + \".\" + body");
        }
        byte[] signed = concat((seconds + ".").getBytes(StandardCharsets.US_ASCII), body);
        if (!MessageDigest.isEqual(signature.trim().getBytes(StandardCharsets.UTF_8),
                ("sha256=" + hmac(secret, signed)).getBytes(StandardCharsets.UTF_8))) {
            throw new Refused("The webhook signature was not accepted");
        }
        Instant now = Instant.now();
        Instant signedAt = Instant.ofEpochSecond(Math.min(seconds, Instant.MAX.getEpochSecond() / 2));
        Duration tolerance = config.signatureTolerance();
        if (Duration.between(signedAt, now).abs().compareTo(tolerance) > 0) {
            throw new Refused("The webhook timestamp is more than " + tolerance.toSeconds()
                    + " s from the service's clock; sign each request when it is sent");
        }
        remember(hook, signature.trim(), now, signedAt.plus(tolerance));
    }

    /** Records the signature; a second delivery of it within the tolerance is a replay. */
    private void remember(Webhook hook, String signature, Instant now, Instant expiresAt) {
        Number remembered = (Number) entityManager.createNativeQuery("""
                select count(*) from webhook_delivery where hook_id = :hook and expires_at > :now""")
                .setParameter("hook", hook.id)
                .setParameter("now", now)
                .getSingleResult();
        if (remembered.longValue() >= config.replayCacheSize()) {
            throw new TooManyDeliveries(config.signatureTolerance());
        }
        int inserted = entityManager.createNativeQuery("""
                insert into webhook_delivery (hook_id, signature, expires_at) values (:hook, :signature, :expires)
                on conflict (hook_id, signature) do update set expires_at = excluded.expires_at
                where webhook_delivery.expires_at <= :now""")
                .setParameter("hook", hook.id)
                .setParameter("signature", signature)
                .setParameter("expires", expiresAt)
                .setParameter("now", now)
                .executeUpdate();
        if (inserted == 0) {
            throw new Refused("This signed webhook request was already received; each delivery needs a new timestamp");
        }
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void forgetExpiredDeliveries() {
        entityManager.createNativeQuery("delete from webhook_delivery where expires_at <= :now")
                .setParameter("now", Instant.now())
                .executeUpdate();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = new byte[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
