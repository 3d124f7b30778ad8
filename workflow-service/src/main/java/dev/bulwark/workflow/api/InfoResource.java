package dev.bulwark.workflow.api;

import dev.bulwark.common.api.ServiceInfo;
import dev.bulwark.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who the caller reached and who the service believes the caller is. */
@Path("/api/v1/info")
@Produces(MediaType.APPLICATION_JSON)
public class InfoResource {

    private final String service;
    private final String version;
    private final JsonWebToken caller;

    InfoResource(@ConfigProperty(name = "quarkus.application.name") String service,
                 @ConfigProperty(name = "quarkus.application.version") String version,
                 JsonWebToken caller) {
        this.service = service;
        this.version = version;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER, Roles.WORKER, Roles.DISPATCHER})
    public ServiceInfo info() {
        return ServiceInfo.describe(service, version, caller);
    }
}
