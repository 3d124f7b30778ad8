package dev.bulwark.orchestrator.run.api;

import dev.bulwark.common.security.Claims;
import dev.bulwark.orchestrator.run.domain.RunService.Caller;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller of a request, as the run service needs it. */
public final class Callers {

    private Callers() {
    }

    public static Caller of(JsonWebToken token) {
        String org = token.getClaim(Claims.ORG);
        return new Caller(org == null ? "" : org, token.getSubject());
    }
}
