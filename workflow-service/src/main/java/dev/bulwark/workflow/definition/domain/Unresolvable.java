package dev.bulwark.workflow.definition.domain;

/** A reference, template or condition that cannot be evaluated: an error of the action that holds it. */
public class Unresolvable extends RuntimeException {

    public Unresolvable(String message) {
        super(message, null, false, false);
    }
}
