package dev.bulwark.relay.threatresponse.api;

import dev.bulwark.relay.auth.domain.RelayAuthenticator;
import dev.bulwark.relay.auth.domain.TokenRefused;
import dev.bulwark.relay.threatresponse.domain.RelayError;
import dev.bulwark.relay.threatresponse.domain.RelayReply;
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
        } catch (TokenRefused e) {
            RelayError error = e.forbidden()
                    ? RelayError.fatal(RelayError.PERMISSION_DENIED, "Authorization failed: " + e.getMessage())
                    : RelayError.authorization(e.getMessage());
            request.abortWith(Response.ok(RelayReply.failed(error), MediaType.APPLICATION_JSON_TYPE).build());
        }
    }
}
