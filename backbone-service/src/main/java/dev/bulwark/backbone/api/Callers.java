package dev.bulwark.backbone.api;

import dev.bulwark.common.security.Claims;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** What the resources read from the caller's token. */
final class Callers {

    private Callers() {
    }

    static String org(JsonWebToken token) {
        Object value = token.getClaim(Claims.ORG);
        if (value instanceof JsonString json) {
            return json.getString();
        }
        return value == null ? "" : value.toString();
    }
}
