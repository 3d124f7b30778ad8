package dev.bulwark.relay.auth;

import dev.bulwark.relay.threatresponse.RelayException;
import dev.bulwark.relay.threatresponse.RelayReply;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Authenticates relay routes with the relay's own token modes. A refusal is answered as the relay family answers
 * it, HTTP 200 with {@code {"errors":[…]}}, instead of the suite's 401 problem document; it runs after routing, so
 * unknown routes and wrong methods keep their real 404/405.
 */
@Provider
@RelayAuthenticated
public class RelayAuthFilter implements ContainerRequestFilter {

    private final RelayAuthenticator authenticator;
    private final RelayCaller caller;

    RelayAuthFilter(RelayAuthenticator authenticator, RelayCaller caller) {
        this.authenticator = authenticator;
        this.caller = caller;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        try {
            caller.admit(authenticator.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        } catch (RelayException e) {
            request.abortWith(Response.ok(RelayReply.failed(e.error()), MediaType.APPLICATION_JSON_TYPE).build());
        }
    }
}
