package dev.bulwark.relay.api;

import dev.bulwark.common.security.Claims;
import io.quarkus.security.ForbiddenException;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The organisation a suite token acts for: its {@code org} claim. */
public final class Organisations {

    private Organisations() {
    }

    /** The caller's organisation; a token without one may not touch any organisation's data (403). */
    public static String of(JsonWebToken token) {
        Object claim = token.getClaim(Claims.ORG);
        String org = claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
        if (org == null || org.isBlank()) {
            throw new ForbiddenException("The token names no organisation");
        }
        return org;
    }
}
