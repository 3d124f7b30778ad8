package dev.bulwark.workflow.queue.domain;

import java.util.Collection;
import java.util.UUID;

/**
 * The queue's only way back to the feature that queued its tasks (the engine implements it): the queue imports
 * nothing of executions, executions import the queue. Every method runs in the queue's transaction.
 */
public interface TaskOwner {

    /**
     * Locks the execution a task belongs to, before the queue locks the task itself: the same order as the engine's
     * deciding, so the two take turns and never deadlock.
     */
    void lock(UUID executionId);

    /**
     * {@link #lock} for the executions of the organisation's tasks, all found and locked in one statement, in one
     * order, so that calls sharing executions wait for each other and never deadlock; tasks the organisation does not
     * have are ignored.
     */
    void lockExecutionsOf(UUID orgId, Collection<UUID> taskIds);

    /** A task reached its end: an agent's result, or its last lease expired. */
    void ended(Task task);
}
