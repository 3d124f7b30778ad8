package dev.bulwark.common.security;

/** Names of the suite's own claims, beside the standard ones. */
public final class Claims {

    /** Id of the organisation the token acts for. */
    public static final String ORG = "org";
    /** Id of the execution an execution token is bound to. */
    public static final String EXEC = "exec";
    /** Id of the credential (API key, service-account secret) a token was minted from, so it can be revoked alone. */
    public static final String CREDENTIAL = "sid";
    /** The audience every suite token is issued for. */
    public static final String AUDIENCE = "bulwark";

    private Claims() {
    }
}
