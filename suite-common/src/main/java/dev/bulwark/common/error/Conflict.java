package dev.bulwark.common.error;

/** The request clashes with the current state (a duplicate name, a stale version): 409. */
public class Conflict extends ProblemException {

    public Conflict(String detail) {
        super(409, "conflict", "Conflict", detail, null, null);
    }
}
