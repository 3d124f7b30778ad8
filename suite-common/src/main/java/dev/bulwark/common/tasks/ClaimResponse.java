package dev.bulwark.common.tasks;

import java.util.List;

/** Answer of a claim: possibly no task. */
public record ClaimResponse(List<ClaimedTask> tasks) {

    public ClaimResponse {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }
}
