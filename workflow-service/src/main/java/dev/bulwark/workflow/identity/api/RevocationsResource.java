package dev.bulwark.workflow.identity.api;

import dev.bulwark.workflow.identity.revocation.Revocations;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The issuer's token revocation list, polled by every service in the suite (no authentication, like the JWKS). */
@Path("/.well-known/revocations.json")
@PermitAll
public class RevocationsResource {

    private final Revocations revocations;

    RevocationsResource(Revocations revocations) {
        this.revocations = revocations;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Revocations.Document revocations() {
        return revocations.document();
    }
}
