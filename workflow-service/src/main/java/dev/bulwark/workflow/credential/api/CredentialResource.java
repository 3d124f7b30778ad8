package dev.bulwark.workflow.credential.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.credential.domain.CredentialStore;
import dev.bulwark.workflow.credential.domain.CredentialStore.CredentialView;
import dev.bulwark.workflow.identity.api.CallerResolver;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** App credentials: admins create and delete them; anyone in the organisation sees names, fields and masks only. */
@Path("/api/v1/credentials")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialResource {

    private final CredentialStore credentials;
    private final CallerResolver callers;

    CredentialResource(CredentialStore credentials, CallerResolver callers) {
        this.credentials = credentials;
        this.callers = callers;
    }

    public record CreateCredential(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 100) String app,
                                   @NotEmpty @Size(max = 50) Map<@Pattern(regexp = "[A-Za-z0-9_.-]{1,100}") String,
                                           @NotNull @Size(max = 10000) String> fields,
                                   @Size(max = 50) List<@NotBlank @Size(max = 260) String> allowedHosts) {

        @Override
        public String toString() {
            return "CreateCredential[name=" + name + ", app=" + app + ", fields=" + (fields == null ? null
                    : fields.keySet()) + ", allowedHosts=" + allowedHosts + "]";
        }
    }

    public record AllowHosts(@NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 260) String> allowedHosts) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response create(@Valid @NotNull CreateCredential request, UriInfo uri) {
        CredentialView created = credentials.create(callers.caller().org(), request.name(), request.app(),
                request.fields(), request.allowedHosts());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(created).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public List<CredentialView> list() {
        return credentials.list(callers.caller().org());
    }

    /** Replaces the hosts an http or OpenAPI app credential may be sent to. */
    @PUT
    @Path("/{id}/allowed-hosts")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public CredentialView allowHosts(@PathParam("id") UUID id, @Valid @NotNull AllowHosts request) {
        return credentials.allowHosts(callers.caller().org(), id, request.allowedHosts());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public void delete(@PathParam("id") UUID id) {
        credentials.delete(callers.caller().org(), id);
    }
}
