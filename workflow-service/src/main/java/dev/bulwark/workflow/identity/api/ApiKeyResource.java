package dev.bulwark.workflow.identity.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.identity.domain.ApiKeys;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
import java.util.UUID;

/** A user's own API keys in the organisation the token acts for; the key itself is shown once. */
@Path("/api/v1/api-keys")
@RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private final ApiKeys apiKeys;
    private final CallerResolver callers;

    ApiKeyResource(ApiKeys apiKeys, CallerResolver callers) {
        this.apiKeys = apiKeys;
        this.callers = callers;
    }

    public record CreateApiKey(@NotBlank @Size(max = 200) String name) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateApiKey request, UriInfo uri) {
        ApiKeys.CreatedKey key = apiKeys.create(callers.caller(), request.name());
        return Response.created(uri.getAbsolutePathBuilder().path(key.id().toString()).build()).entity(key).build();
    }

    @GET
    public List<ApiKeys.KeyView> list() {
        return apiKeys.listOwn(callers.caller());
    }

    @DELETE
    @Path("/{id}")
    public void revoke(@PathParam("id") UUID id) {
        apiKeys.revoke(callers.caller(), id);
    }
}
