package dev.bulwark.orchestrator.api;

import dev.bulwark.common.security.Claims;
import dev.bulwark.orchestrator.domain.run.RunService.Caller;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller of a request, as the run service needs it. */
final class Callers {

    private Callers() {
    }

    static Caller of(JsonWebToken token) {
        String org = token.getClaim(Claims.ORG);
        return new Caller(org == null ? "" : org, token.getSubject());
    }
}
