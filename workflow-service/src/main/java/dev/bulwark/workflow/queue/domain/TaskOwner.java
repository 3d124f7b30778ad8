package dev.bulwark.workflow.queue.domain;

import java.util.UUID;

/**
 * The queue's only way back to the feature that queued its tasks (the engine implements it): the queue imports
 * nothing of executions, executions import the queue. Both methods run in the queue's transaction.
 */
public interface TaskOwner {

    /**
     * Locks the execution a task belongs to, before the queue locks the task itself: the same order as the engine's
     * deciding, so the two take turns and never deadlock.
     */
    void lock(UUID executionId);

    /**
     * {@link #lock} for the execution of the organisation's task, found and locked in one statement; false when the
     * organisation has no such task.
     */
    boolean lockExecutionOf(UUID orgId, UUID taskId);

    /** A task reached its end: an agent's result, or its last lease expired. */
    void ended(Task task);
}
