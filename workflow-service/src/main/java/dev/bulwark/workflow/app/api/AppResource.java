package dev.bulwark.workflow.app.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.app.domain.ActionSpec;
import dev.bulwark.workflow.app.domain.AppCatalog;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.AuthSchema;
import dev.bulwark.workflow.app.domain.OpenApiImporter;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;

/** The organisation's apps: built-in ones, container apps and OpenAPI imports. */
@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppResource {

    private final AppCatalog catalog;
    private final OpenApiImporter importer;
    private final CallerResolver callers;

    AppResource(AppCatalog catalog, OpenApiImporter importer, CallerResolver callers) {
        this.catalog = catalog;
        this.importer = importer;
        this.callers = callers;
    }

    /**
 * A container app: an image the worker-agent runs through Docker, and the actions it offers; {@code network}
 * asks for a network (none by default).
 */
    public record ContainerApp(@NotBlank @Pattern(regexp = "[a-z][a-z0-9_-]{0,99}") String name,
                               @NotBlank @Size(max = 50) String version, String description,
                               @NotBlank @Size(max = 500) String image, Boolean network,
                               @Valid AuthSchema authentication,
                               @NotEmpty List<@Valid ActionSpec> actions) {
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public List<AppDefinition> list() {
        return catalog.list(callers.caller().org());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public AppDefinition get(@PathParam("id") UUID id) {
        return catalog.get(callers.caller().org(), id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public Response addContainerApp(@Valid @NotNull ContainerApp request, UriInfo uri) {
        AppDefinition app = catalog.add(callers.caller().org(), new AppDefinition(null, request.name(),
                request.version(), AppDefinition.CONTAINER, request.description(), request.image(),
                Boolean.TRUE.equals(request.network()), null,
                request.authentication(), request.actions()), isAdmin());
        return created(uri, app);
    }

    /** Imports an OpenAPI 3 spec, sent as JSON or YAML. */
    @POST
    @Path("/openapi")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public Response importOpenApi(@NotBlank String spec, @QueryParam("name") @Pattern(regexp = "[a-z][a-z0-9_-]{0,99}") String name,
                                  @QueryParam("serverUrl") String serverUrl, UriInfo uri) {
        AppDefinition app = catalog.add(callers.caller().org(), importer.read(spec, name, serverUrl), isAdmin());
        return created(uri, app);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public void delete(@PathParam("id") UUID id) {
        catalog.delete(callers.caller().org(), id);
    }

    private boolean isAdmin() {
        return callers.caller().roles().contains(Roles.ADMIN);
    }

    private static Response created(UriInfo uri, AppDefinition app) {
        return Response.created(uri.getBaseUriBuilder().path("api/v1/apps").path(app.id().toString()).build())
                .entity(app).build();
    }
}
