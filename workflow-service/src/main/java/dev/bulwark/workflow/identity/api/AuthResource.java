package dev.bulwark.workflow.identity.api;

import dev.bulwark.workflow.identity.domain.AccessToken;
import dev.bulwark.workflow.identity.domain.Grants;
import dev.bulwark.workflow.identity.domain.TokenRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;

/** {@code POST /api/v1/auth/token}: grants password, client_credentials and api_key, as a form or as JSON. */
@Path("/api/v1/auth/token")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final Grants grants;

    AuthResource(Grants grants) {
        this.grants = grants;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response tokenFromForm(@RestForm("grant_type") String grantType, @RestForm String username,
                                  @RestForm String password, @RestForm String org,
                                  @RestForm("client_id") String clientId, @RestForm("client_secret") String clientSecret,
                                  @RestForm("api_key") String apiKey,
                                  @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
                                  @Context HttpServerRequest http) {
        return token(new TokenRequest(grantType, username, password, org, clientId, clientSecret, apiKey),
                authorization, http);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response tokenFromJson(TokenRequest request, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
                                  @Context HttpServerRequest http) {
        return token(request == null ? new TokenRequest(null, null, null, null, null, null, null) : request,
                authorization, http);
    }

    /**
     * The source address counted by the brute-force delays is the connection's peer, or the address a trusted proxy
     * forwarded when {@code quarkus.http.proxy.*} says so; a client's own X-Forwarded-For is never believed.
     */
    private Response token(TokenRequest request, String authorization, HttpServerRequest http) {
        String source = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        AccessToken token = grants.grant(withBasicClient(request, authorization), source);
        return Response.ok(new TokenResponse(token.token(), "Bearer", token.expiresInSeconds()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** RFC 6749 §2.3.1: client id and secret (or an API key as the password) may come form-encoded in HTTP Basic. */
    private static TokenRequest withBasicClient(TokenRequest request, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return request;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return request;
            }
            return request.withBasic(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return request;
        }
    }
}
