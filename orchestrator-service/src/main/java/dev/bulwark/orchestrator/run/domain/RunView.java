package dev.bulwark.orchestrator.run.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run as clients see it.
 *
 * @param medium   feedback medium announced to the client: {@code sse} or {@code lp} (both are always served)
 * @param testers  the testers that run, with their sessions
 */
public record RunView(UUID id, String status, String medium, String origin, String target, Instant startedAt,
                      Instant finishedAt, List<TesterView> testers) {

    /** A tester's state summed over its sessions. */
    public record TesterView(String name, String status, int pctComplete, int findings, List<SessionView> sessions) {
    }

    public record SessionView(String id, String status, int pctComplete, int findings, String message) {
    }
}
