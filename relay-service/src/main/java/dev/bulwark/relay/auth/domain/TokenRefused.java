package dev.bulwark.relay.auth.domain;

/**
 * A relay token refused, with the relay family's reason ("Authorization failed: " + reason); {@code forbidden} when
 * the token is genuine but its roles do not allow the relay.
 */
public class TokenRefused extends RuntimeException {

    private final boolean forbidden;

    TokenRefused(String reason, boolean forbidden) {
        super(reason);
        this.forbidden = forbidden;
    }

    public boolean forbidden() {
        return forbidden;
    }
}
