package dev.bulwark.backbone.message.domain;

import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the receives (long polls) and SSE streams one client holds open at once on this replica, so one principal
 * cannot tie up the backbone's threads and channels: over the cap the request is answered 429 with Retry-After.
 */
@ApplicationScoped
public class ReadLimits {

    /** One open read; closing it (any number of times) frees its place. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final BackboneConfig config;
    private final Map<String, Integer> receives = new ConcurrentHashMap<>();
    private final Map<String, Integer> streams = new ConcurrentHashMap<>();

    ReadLimits(BackboneConfig config) {
        this.config = config;
    }

    public Permit receive(String clientId) {
        return acquire(receives, clientId, config.receive().maxConcurrent(), "receives",
                "bulwark.backbone.receive.max-concurrent");
    }

    public Permit stream(String clientId) {
        return acquire(streams, clientId, config.stream().maxConcurrent(), "streams",
                "bulwark.backbone.stream.max-concurrent");
    }

    private static Permit acquire(Map<String, Integer> open, String clientId, int max, String what, String key) {
        if (open.merge(clientId, 1, Integer::sum) > max) {
            release(open, clientId);
            throw new TooMany("Client '" + clientId + "' has " + max + " " + what + " open already, the most "
                    + "allowed (" + key + "); retry when one has ended");
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                release(open, clientId);
            }
        };
    }

    private static void release(Map<String, Integer> open, String clientId) {
        open.computeIfPresent(clientId, (id, count) -> count <= 1 ? null : count - 1);
    }

    /** 429 with Retry-After: the same request succeeds once one of the caller's open reads has ended. */
    static final class TooMany extends ProblemException {

        TooMany(String detail) {
            super(429, "too-many-requests", "Too many requests", detail, null, null);
        }

        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("Retry-After", "1");
        }
    }
}
