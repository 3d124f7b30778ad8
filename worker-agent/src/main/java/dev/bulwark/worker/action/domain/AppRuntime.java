package dev.bulwark.worker.action.domain;

import dev.bulwark.common.tasks.ClaimedTask;

/** Runs the action of a task. Implementations stop promptly when the thread is interrupted or the run cancelled. */
public interface AppRuntime {

    ActionResult run(ClaimedTask task, RunControl control) throws ActionFailed, InterruptedException;
}
