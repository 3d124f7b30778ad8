package dev.bulwark.relay.auth.domain;

/**
 * Who called the relay API: the token mode that admitted them, the subject, the organisation whose indicators they
 * read and write (a suite token's {@code org} claim, or the configured module organisation), the entity limit their
 * token asks for ({@code CTR_ENTITIES_LIMIT}), and whether they may trigger actions that write indicators.
 */
public record RelayIdentity(String mode, String subject, String org, int entitiesLimit, boolean mayWrite) {

    public static final String SUITE = "suite";
    public static final String CONFIGURATION = "configuration";
    public static final String SECRET_KEY = "secret-key";
}
