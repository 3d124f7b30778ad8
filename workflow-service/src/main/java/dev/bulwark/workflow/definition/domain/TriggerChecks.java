package dev.bulwark.workflow.definition.domain;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import dev.bulwark.common.error.Problem.FieldViolation;
import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Checks a workflow's triggers: at most one webhook, and schedules with a valid Quartz cron expression that fires
 * no more often than {@code bulwark.workflow.limits.min-schedule-interval}.
 */
@ApplicationScoped
class TriggerChecks {

    /** Ticks of a schedule looked at for the shortest interval: enough to cover two firing minutes of any expression. */
    private static final int TICKS_CHECKED = 200;

    private final Duration minScheduleInterval;

    TriggerChecks(EngineConfig config) {
        this.minScheduleInterval = config.limits().minScheduleInterval();
    }

    /** @param saving whether the schedule's interval is checked too (not for a workflow saved before) */
    void check(List<Trigger> triggers, boolean saving, List<FieldViolation> problems) {
        int webhooks = 0;
        for (int t = 0; t < triggers.size(); t++) {
            Trigger trigger = triggers.get(t);
            if ("webhook".equals(trigger.type()) && ++webhooks > 1) {
                problems.add(at("triggers[" + t + "]", "a workflow has at most one webhook"));
            }
            if ("schedule".equals(trigger.type())) {
                if (trigger.cron() == null || trigger.cron().isBlank()) {
                    problems.add(at("triggers[" + t + "].cron", "a schedule needs a cron expression"));
                } else {
                    try {
                        Cron cron = WorkflowValidator.CRON.parse(trigger.cron()).validate();
                        Duration shortest = saving ? shortestInterval(cron) : null;
                        if (shortest != null && shortest.compareTo(minScheduleInterval) < 0) {
                            problems.add(at("triggers[" + t + "].cron", "'" + trigger.cron() + "' fires "
                                    + shortest.toSeconds() + " s apart; schedules may fire at most every "
                                    + minScheduleInterval.toSeconds()
                                    + " s (bulwark.workflow.limits.min-schedule-interval)"));
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(at("triggers[" + t + "].cron", "invalid cron expression '" + trigger.cron()
                                + "': " + e.getMessage()));
                    }
                }
            }
        }
    }

    /**
     * The shortest time between consecutive ticks among the next {@link #TICKS_CHECKED}: every firing minute fires at
     * all its seconds, so sub-minute gaps show within two firing minutes; null when it fires less than twice.
     */
    private static Duration shortestInterval(Cron cron) {
        ExecutionTime times = ExecutionTime.forCron(cron);
        Optional<ZonedDateTime> previous = times.nextExecution(ZonedDateTime.now(ZoneOffset.UTC));
        Duration shortest = null;
        for (int i = 0; i < TICKS_CHECKED && previous.isPresent(); i++) {
            Optional<ZonedDateTime> next = times.nextExecution(previous.get());
            if (next.isEmpty()) {
                break;
            }
            Duration gap = Duration.between(previous.get(), next.get());
            shortest = shortest == null || gap.compareTo(shortest) < 0 ? gap : shortest;
            previous = next;
        }
        return shortest;
    }

    private static FieldViolation at(String field, String message) {
        return new FieldViolation(field, message);
    }
}
