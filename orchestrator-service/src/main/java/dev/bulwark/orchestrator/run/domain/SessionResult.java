package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.orchestrator.run.persistence.TesterSession;
import dev.bulwark.orchestrator.tester.domain.Finding;
import java.util.List;

/** How one tester session ended and what it found. */
public record SessionResult(String tester, String session, TesterSession.Status status, String message,
                           List<Finding> findings) {
}
