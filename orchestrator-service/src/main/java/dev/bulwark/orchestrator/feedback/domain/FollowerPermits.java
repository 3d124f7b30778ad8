package dev.bulwark.orchestrator.feedback.domain;

import dev.bulwark.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps how many SSE streams and how many long polls one principal holds open on this instance at once: each holds
 * a connection and a follower, so one token cannot tie up the service. Counted per instance (see the README).
 */
@ApplicationScoped
public class FollowerPermits {

    /** The kinds of held feedback requests, each with its own cap. */
    public enum Kind { STREAM, POLL }

    private final OrchestratorConfig config;
    private final Map<String, Integer> held = new ConcurrentHashMap<>();

    FollowerPermits(OrchestratorConfig config) {
        this.config = config;
    }

    /**
     * Takes a permit for {@code principal}; run the returned handle (any number of times) when the request ends.
     *
     * @throws TooManyFollowers when the principal already holds as many as allowed
     */
    public Runnable acquire(Kind kind, String principal) {
        int max = kind == Kind.STREAM ? config.maxSseStreamsPerPrincipal() : config.maxLongPollsPerPrincipal();
        String key = kind + " " + principal;
        AtomicBoolean taken = new AtomicBoolean();
        held.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            taken.set(true);
            return current + 1;
        });
        if (!taken.get()) {
            throw new TooManyFollowers(kind == Kind.STREAM
                    ? "You already have " + max + " feedback streams open, the most allowed; close one first"
                    : "You already have " + max + " long polls waiting, the most allowed; wait for one to answer");
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                held.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
            }
        };
    }
}
