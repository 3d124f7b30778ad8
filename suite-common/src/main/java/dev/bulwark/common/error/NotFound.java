package dev.bulwark.common.error;

/** The addressed resource does not exist (or is not visible to the caller's organisation): 404. */
public class NotFound extends ProblemException {

    public NotFound(String kind, Object id) {
        super(404, "not-found", "Not found", kind + " '" + id + "' does not exist", null, null);
    }
}
