package dev.bulwark.worker.task.messaging;

/**
 * workflow-service refused a call for good, so repeating it cannot help: the attempt no longer holds the task
 * (404, 409, 410: lease expired and re-queued, execution aborted) or the request is invalid (another 4xx).
 */
public class Refused extends Exception {

    public Refused(String message) {
        super(message);
    }
}
