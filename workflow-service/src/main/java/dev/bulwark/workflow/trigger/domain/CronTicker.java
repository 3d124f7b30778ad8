package dev.bulwark.workflow.trigger.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.DatabaseUnavailable;
import dev.bulwark.workflow.definition.domain.Workflow;
import dev.bulwark.workflow.execution.domain.Engine;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * Fires due cron triggers. A due row is locked ({@code FOR UPDATE SKIP LOCKED}) and moved to its next tick in the
 * transaction that starts the execution, so each tick starts exactly one execution however many replicas tick.
 * Ticks missed while no replica ran are not replayed: the next firing is the first tick after now. A tick over the
 * organisation's execution quota is skipped (logged).
 */
@ApplicationScoped
public class CronTicker {

    private static final int BATCH = 100;

    private final EntityManager em;
    private final Engine engine;
    private final ObjectMapper json;

    CronTicker(EntityManager em, Engine engine, ObjectMapper json) {
        this.em = em;
        this.engine = engine;
        this.json = json;
    }

    @Scheduled(every = "${bulwark.workflow.triggers.cron-tick:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void tick() {
        int fired;
        try {
            do {
                fired = QuarkusTransaction.requiringNew().call(this::fireDue);
            } while (fired == BATCH);
        } catch (RuntimeException e) {
            if (!DatabaseUnavailable.causes(e)) {
                throw e;
            }
            Log.warn("Cron triggers not checked: the database is unavailable");
        }
    }

    /** Fires the due triggers this replica could lock; returns how many. */
    int fireDue() {
        @SuppressWarnings("unchecked")
        List<ScheduleTrigger> due = em.createNativeQuery("select * from schedule_trigger where next_fire_at <= now() "
                + "order by next_fire_at limit " + BATCH + " for update skip locked", ScheduleTrigger.class)
                .getResultList();
        Instant now = Instant.now();
        for (ScheduleTrigger trigger : due) {
            Workflow workflow = Workflow.findById(trigger.workflowId);
            try {
                engine.start(workflow, workflow.version, trigger.argument == null ? null
                        : json.readTree(trigger.argument), 5, "schedule", null, null);
            } catch (LimitExceeded e) {
                Log.warnf("Schedule %s of workflow %s skipped a tick: %s", trigger.cron, workflow.id, e.getMessage());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            trigger.nextFireAt = TriggerRegistry.nextAfter(trigger.cron, now);
            Log.debugf("Schedule %s of workflow %s fired; next at %s", trigger.cron, workflow.id, trigger.nextFireAt);
        }
        return due.size();
    }
}
