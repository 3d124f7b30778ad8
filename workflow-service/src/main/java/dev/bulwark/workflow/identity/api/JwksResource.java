package dev.bulwark.workflow.identity.api;

import dev.bulwark.workflow.identity.keys.SigningKeys;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The issuer's public keys, active and previous, for every verifier in the suite. */
@Path("/.well-known/jwks.json")
@PermitAll
public class JwksResource {

    private final SigningKeys keys;

    JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String jwks() {
        return keys.jwks();
    }
}
