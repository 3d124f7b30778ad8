package dev.bulwark.orchestrator.run.domain;

import java.util.List;

/**
 * What one tester would do for a job.
 *
 * @param active   whether it runs for this job
 * @param plan     the checks it would make, or why it is inactive
 * @param sessions the sessions it would run
 */
public record TesterPlan(String name, boolean active, String plan, List<String> sessions) {
}
