package dev.bulwark.backbone.client.api;

import dev.bulwark.backbone.client.domain.NotAllowed;
import dev.bulwark.backbone.client.domain.TopicPattern;
import dev.bulwark.common.security.Claims;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** What the resources read from the caller's token. */
public final class Callers {

    private Callers() {
    }

    /**
     * The organisation the token acts for. It names the organisation's exchanges, so it must be one topic word
     * (the issuer's organisation ids are UUIDs); a token without one is refused.
     */
    public static String org(JsonWebToken token) {
        Object value = token.getClaim(Claims.ORG);
        String org = value instanceof JsonString json ? json.getString() : value == null ? null : value.toString();
        if (org == null || TopicPattern.topicProblem(org) != null || org.contains(".")) {
            throw new NotAllowed("The token names no valid organisation");
        }
        return org;
    }
}
