package dev.bulwark.workflow.trigger.domain;

import com.cronutils.model.time.ExecutionTime;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.credential.domain.Envelope;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Trigger;
import dev.bulwark.workflow.definition.domain.WorkflowValidator;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.OrgLock;
import dev.bulwark.common.security.Redacted;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Keeps a workflow's webhook and cron rows in step with the triggers of its current version. */
@ApplicationScoped
public class TriggerRegistry {

    private final Envelope envelope;
    private final ObjectMapper json;
    private final EngineConfig config;
    private final OrgLock locks;
    private final SecureRandom random = new SecureRandom();

    TriggerRegistry(Envelope envelope, ObjectMapper json, EngineConfig config, OrgLock locks) {
        this.envelope = envelope;
        this.json = json;
        this.config = config;
        this.locks = locks;
    }

    /** The webhook address and secret, and the schedules with their next tick. */
    public record TriggerView(WebhookView webhook, List<ScheduleView> schedules) {
    }

    public record WebhookView(UUID hookId, String url, String secret) {

        @Override
        public String toString() {
            return "WebhookView[hookId=" + hookId + ", url=" + url + ", secret=" + Redacted.of(secret) + "]";
        }
    }

    public record ScheduleView(String cron, Instant nextFireAt) {
    }

    /**
     * Called in the transaction that saves a workflow version. A webhook keeps its address and secret. The
     * organisation's schedules over all its workflows stay within {@code max-schedules-per-org} (409 otherwise).
     */
    public void sync(UUID orgId, UUID workflowId, List<Trigger> triggers) {
        long schedules = triggers.stream().filter(t -> "schedule".equals(t.type())).count();
        if (schedules > 0) {
            locks.lock(orgId, OrgLock.Purpose.SCHEDULES);
            int max = config.limits().maxSchedulesPerOrg();
            long total = ScheduleTrigger.count("orgId = ?1 and workflowId <> ?2", orgId, workflowId) + schedules;
            if (total > max) {
                throw LimitExceeded.quota("The organisation would have " + total + " schedules, more than its quota of "
                        + max + " (bulwark.workflow.limits.max-schedules-per-org)");
            }
        }
        boolean webhook = triggers.stream().anyMatch(t -> "webhook".equals(t.type()));
        Webhook existing = Webhook.find("workflowId", workflowId).firstResult();
        if (webhook && existing == null) {
            Webhook hook = new Webhook();
            hook.id = UUID.randomUUID();
            hook.workflowId = workflowId;
            hook.orgId = orgId;
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            hook.secret = envelope.seal(orgId, purpose(hook.id), Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(secret).getBytes(StandardCharsets.UTF_8));
            hook.createdAt = Instant.now();
            hook.persist();
        } else if (!webhook && existing != null) {
            existing.delete();
        }
        ScheduleTrigger.delete("workflowId", workflowId);
        int position = 0;
        for (Trigger trigger : triggers) {
            if (!"schedule".equals(trigger.type())) {
                continue;
            }
            ScheduleTrigger schedule = new ScheduleTrigger();
            schedule.workflowId = workflowId;
            schedule.position = position++;
            schedule.orgId = orgId;
            schedule.cron = trigger.cron();
            schedule.argument = trigger.argument() == null ? null : write(trigger.argument());
            schedule.nextFireAt = nextAfter(trigger.cron(), Instant.now());
            schedule.persist();
        }
    }

    public TriggerView view(UUID workflowId) {
        Webhook hook = Webhook.find("workflowId", workflowId).firstResult();
        WebhookView webhook = hook == null ? null : new WebhookView(hook.id,
                config.triggers().publicUrl().replaceAll("/+$", "") + "/api/v1/hooks/" + hook.id, secret(hook));
        List<ScheduleView> schedules = ScheduleTrigger.<ScheduleTrigger>list("workflowId = ?1 order by position",
                workflowId).stream().map(s -> new ScheduleView(s.cron, s.nextFireAt)).toList();
        return new TriggerView(webhook, schedules);
    }

    String secret(Webhook hook) {
        return new String(envelope.open(hook.orgId, purpose(hook.id), hook.secret), StandardCharsets.UTF_8);
    }

    /** The first tick of the cron expression strictly after {@code after} (UTC); far future when there is none. */
    static Instant nextAfter(String cron, Instant after) {
        Optional<ZonedDateTime> next = ExecutionTime.forCron(WorkflowValidator.CRON.parse(cron))
                .nextExecution(after.atZone(ZoneOffset.UTC));
        return next.map(ZonedDateTime::toInstant).orElse(Instant.parse("9999-12-31T00:00:00Z"));
    }

    private static String purpose(UUID hookId) {
        return "webhook:" + hookId;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
