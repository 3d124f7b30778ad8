package dev.bulwark.workflow.identity.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.identity.domain.ServiceAccounts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Service accounts of the admin's organisation; client secrets are shown once, at creation and rotation. */
@Path("/api/v1/service-accounts")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ServiceAccountResource {

    private final ServiceAccounts accounts;
    private final CallerResolver callers;

    ServiceAccountResource(ServiceAccounts accounts, CallerResolver callers) {
        this.accounts = accounts;
        this.callers = callers;
    }

    public record CreateServiceAccount(@NotBlank @Size(max = 200) String name, @NotEmpty Set<@NotBlank String> roles) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateServiceAccount request, UriInfo uri) {
        ServiceAccounts.Credentials created = accounts.create(callers.caller().org(), request.name(), request.roles());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(created).build();
    }

    @GET
    public List<ServiceAccounts.AccountView> list() {
        return accounts.list(callers.caller().org());
    }

    @GET
    @Path("/{id}")
    public ServiceAccounts.AccountView get(@PathParam("id") UUID id) {
        return accounts.get(callers.caller().org(), id);
    }

    @POST
    @Path("/{id}/rotate-secret")
    public ServiceAccounts.Credentials rotateSecret(@PathParam("id") UUID id) {
        return accounts.rotateSecret(callers.caller().org(), id);
    }

    @DELETE
    @Path("/{id}")
    public void revoke(@PathParam("id") UUID id) {
        accounts.revoke(callers.caller().org(), id);
    }
}
