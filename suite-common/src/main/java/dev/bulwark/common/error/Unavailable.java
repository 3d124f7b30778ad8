package dev.bulwark.common.error;

/** A dependency (broker, database, another service) cannot serve the request now: 503, retryable. */
public class Unavailable extends ProblemException {

    public Unavailable(String detail, Throwable cause) {
        super(503, "unavailable", "Service unavailable", detail, null, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
