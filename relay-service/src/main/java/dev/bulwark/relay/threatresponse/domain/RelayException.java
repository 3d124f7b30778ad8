package dev.bulwark.relay.threatresponse.domain;

/** Ends a relay request with one fatal error, answered as HTTP 200 in the relay family's shape. */
public class RelayException extends RuntimeException {

    private final transient RelayError error;

    public RelayException(RelayError error) {
        super(error.message());
        this.error = error;
    }

    public RelayError error() {
        return error;
    }
}
