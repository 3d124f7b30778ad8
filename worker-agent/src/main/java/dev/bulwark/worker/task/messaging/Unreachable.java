package dev.bulwark.worker.task.messaging;

/** workflow-service did not answer usefully (network, 5xx, refused credentials): try again later. */
public class Unreachable extends Exception {

    public Unreachable(String message) {
        super(message);
    }
}
