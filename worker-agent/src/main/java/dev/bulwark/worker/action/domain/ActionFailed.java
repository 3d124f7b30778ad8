package dev.bulwark.worker.action.domain;

/** The action ran and failed (or could not run): the task's result is FAILURE with this message and log. */
public class ActionFailed extends Exception {

    private final String log;

    public ActionFailed(String message) {
        this(message, null);
    }

    public ActionFailed(String message, String log) {
        super(message);
        this.log = log;
    }

    /** What the action wrote while failing (a container's stderr), or null. */
    public String log() {
        return log;
    }
}
