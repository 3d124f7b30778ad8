package dev.bulwark.common.api;

import io.quarkus.security.Authenticated;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who the caller reached and who the service believes the caller is: the same endpoint in every service, open to
 * the roles the service lists in {@code bulwark.info.roles}.
 */
@Path("/api/v1/info")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class InfoResource {

    private final String service;
    private final String version;
    private final List<String> roles;
    private final JsonWebToken caller;
    private final SecurityIdentity identity;

    InfoResource(@ConfigProperty(name = "quarkus.application.name") String service,
                 @ConfigProperty(name = "quarkus.application.version") String version,
                 @ConfigProperty(name = "bulwark.info.roles") List<String> roles,
                 JsonWebToken caller, SecurityIdentity identity) {
        this.service = service;
        this.version = version;
        this.roles = roles;
        this.caller = caller;
        this.identity = identity;
    }

    @GET
    public ServiceInfo info() {
        if (roles.stream().noneMatch(identity::hasRole)) {
            throw new ForbiddenException();
        }
        return ServiceInfo.describe(service, version, caller);
    }
}
