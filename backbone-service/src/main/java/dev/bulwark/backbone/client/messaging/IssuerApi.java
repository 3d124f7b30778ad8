package dev.bulwark.backbone.client.messaging;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.common.security.Redacted;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The identity API of the suite issuer (workflow-service) that the backbone uses: service accounts and tokens. */
@RegisterRestClient(configKey = "issuer")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface IssuerApi {

    record NewServiceAccount(String name, Set<String> roles) {
    }

    record Credentials(UUID id, String name, String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "Credentials[id=" + id + ", name=" + name + ", clientId=" + clientId + ", clientSecret="
                    + Redacted.of(clientSecret) + "]";
        }
    }

    record TokenRequest(@JsonProperty("grant_type") String grantType, @JsonProperty("client_id") String clientId,
                        @JsonProperty("client_secret") String clientSecret) {
        @Override
        public String toString() {
            return "TokenRequest[grantType=" + grantType + ", clientId=" + clientId + ", clientSecret="
                    + Redacted.of(clientSecret) + "]";
        }
    }

    record TokenResponse(@JsonProperty("access_token") String accessToken,
                         @JsonProperty("token_type") String tokenType,
                         @JsonProperty("expires_in") long expiresIn) {
        @Override
        public String toString() {
            return "TokenResponse[accessToken=" + Redacted.of(accessToken) + ", tokenType=" + tokenType
                    + ", expiresIn=" + expiresIn + "]";
        }
    }

    @POST
    @Path("/service-accounts")
    Credentials createServiceAccount(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
                                     NewServiceAccount account);

    @POST
    @Path("/service-accounts/{id}/rotate-secret")
    Credentials rotateSecret(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);

    @DELETE
    @Path("/service-accounts/{id}")
    void revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);

    @POST
    @Path("/auth/token")
    TokenResponse token(TokenRequest request);
}
