package dev.bulwark.relay.threatresponse.domain;

/** One entry of a relay answer's {@code errors}: {@code fatal} stops the request, {@code warning} does not. */
public record RelayError(String type, String code, String message) {

    public static final String AUTHORIZATION_ERROR = "authorization error";
    public static final String INVALID_ARGUMENT = "invalid argument";
    public static final String UNKNOWN = "unknown";
    public static final String NOT_FOUND = "not found";
    public static final String PERMISSION_DENIED = "permission denied";
    public static final String SERVICE_UNAVAILABLE = "service unavailable";
    public static final String HEALTH_CHECK_FAILED = "health check failed";

    public static RelayError fatal(String code, String message) {
        return new RelayError("fatal", code, message);
    }

    public static RelayError warning(String code, String message) {
        return new RelayError("warning", code, message);
    }

    /** The relay family's wording of an authorization failure. */
    public static RelayError authorization(String reason) {
        return fatal(AUTHORIZATION_ERROR, "Authorization failed: " + reason);
    }

    /** The relay family's wording of a request the relay cannot read. */
    public static RelayError invalidArgument(String detail) {
        return fatal(INVALID_ARGUMENT, "Invalid JSON payload received. " + detail);
    }
}
