package dev.bulwark.workflow.limits.domain;

import dev.bulwark.workflow.config.EngineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long polls one caller (organisation and token subject) may hold open at once on this replica: each holds a worker
 * thread, so one caller cannot take them all. Over the cap the request answers 429 with {@code Retry-After}.
 */
@ApplicationScoped
public class WaitSlots {

    private static final long RETRY_AFTER_SECONDS = 5;

    private final int perCaller;
    private final Map<String, Integer> held = new ConcurrentHashMap<>();

    WaitSlots(EngineConfig config) {
        this.perCaller = config.limits().maxWaitsPerCaller();
    }

    /** A slot for the caller, to close when the wait ends; {@link LimitExceeded} (429) when all are held. */
    public Slot acquire(UUID orgId, String subject) {
        String caller = orgId + "/" + subject;
        boolean[] granted = new boolean[1];
        held.compute(caller, (k, open) -> {
            int count = open == null ? 0 : open;
            if (count >= perCaller) {
                return open;
            }
            granted[0] = true;
            return count + 1;
        });
        if (!granted[0]) {
            throw LimitExceeded.rate("This caller already holds " + perCaller + " long polls open, its limit "
                    + "(bulwark.workflow.limits.max-waits-per-caller)", RETRY_AFTER_SECONDS);
        }
        return () -> held.computeIfPresent(caller, (k, open) -> open <= 1 ? null : open - 1);
    }

    /** An open wait; closing it frees the slot. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
