package dev.bulwark.workflow.identity.api;

import dev.bulwark.common.security.Claims;
import dev.bulwark.workflow.identity.domain.Caller;
import io.quarkus.security.ForbiddenException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Turns the verified token of the current request into a {@link Caller}. */
@RequestScoped
public class CallerResolver {

    private final JsonWebToken token;

    CallerResolver(JsonWebToken token) {
        this.token = token;
    }

    public Caller caller() {
        return new Caller(token.getSubject(), org(), Set.copyOf(token.getGroups()));
    }

    /** The caller, who must be acting for the organisation the path names. */
    public Caller callerIn(UUID org) {
        Caller caller = caller();
        if (!caller.org().equals(org)) {
            throw new ForbiddenException();
        }
        return caller;
    }

    private UUID org() {
        Object claim = token.getClaim(Claims.ORG);
        String value = claim instanceof JsonString json ? json.getString() : String.valueOf(claim);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new ForbiddenException();
        }
    }
}
