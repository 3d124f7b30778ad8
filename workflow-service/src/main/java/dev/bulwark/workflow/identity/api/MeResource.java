package dev.bulwark.workflow.identity.api;

import dev.bulwark.workflow.identity.domain.Caller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code GET /api/v1/me}: who the token says you are. */
@Path("/api/v1/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final CallerResolver callers;
    private final JsonWebToken token;

    MeResource(CallerResolver callers, JsonWebToken token) {
        this.callers = callers;
        this.token = token;
    }

    public record Me(String subject, String email, UUID org, List<String> roles) {
    }

    @GET
    public Me me() {
        Caller caller = callers.caller();
        return new Me(caller.subject(), token.getClaim("email"), caller.org(), caller.roles().stream().sorted().toList());
    }
}
