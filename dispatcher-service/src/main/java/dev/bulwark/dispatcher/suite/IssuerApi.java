package dev.bulwark.dispatcher.suite;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The suite issuer's token endpoint (workflow-service). */
@Path("/api/v1/auth/token")
public interface IssuerApi {

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                   @FormParam("client_secret") String clientSecret);
}
