package dev.bulwark.backbone.client.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.backbone.client.domain.Clients;
import dev.bulwark.backbone.client.messaging.Issuer;
import dev.bulwark.backbone.client.messaging.IssuerApi;
import dev.bulwark.common.security.Redacted;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The original backbone's {@code POST /token}: a client's id and secret for a token, exchanged at the suite issuer
 * with {@code client_credentials}, so clients written for the original flow keep working.
 */
@Path("/token")
@PermitAll
public class TokenResource {

    private final Clients clients;
    private final Issuer issuer;

    TokenResource(Clients clients, Issuer issuer) {
        this.clients = clients;
        this.issuer = issuer;
    }

    public record CompatTokenRequest(@JsonProperty("client_id") @NotBlank String clientId,
                                     @NotBlank String secret) {
        @Override
        public String toString() {
            return "CompatTokenRequest[clientId=" + clientId + ", secret=" + Redacted.of(secret) + "]";
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@Valid @NotNull CompatTokenRequest request) {
        if (!clients.exists(request.clientId())) {
            throw Issuer.invalidCredentials();
        }
        IssuerApi.TokenResponse token = issuer.token(request.clientId(), request.secret());
        return Response.ok(token).header("Cache-Control", "no-store").build();
    }
}
