package dev.bulwark.orchestrator.domain.run;

import dev.bulwark.orchestrator.domain.tester.Finding;
import dev.bulwark.orchestrator.persistence.TesterSession;
import java.util.List;

/** How one tester session ended and what it found. */
public record SessionResult(String tester, String session, TesterSession.Status status, String message,
                           List<Finding> findings) {
}
