package dev.bulwark.orchestrator.run.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.orchestrator.run.domain.RunService;
import dev.bulwark.orchestrator.run.domain.RunView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Test runs of the caller's organisation: start, list, show, cancel or delete, and their outcomes. */
@Path("/api/v1/test-runs")
@Produces(MediaType.APPLICATION_JSON)
public class TestRunResource {

    private final RunService runs;
    private final JsonWebToken caller;

    TestRunResource(RunService runs, JsonWebToken caller) {
        this.runs = runs;
        this.caller = caller;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, TestPlanResource.JSON_API})
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public Response start(String job, @QueryParam("medium") String medium, @QueryParam("timeout") String timeout,
                          @Context UriInfo uri) {
        RunView run = runs.start(job, medium, timeout, Callers.of(caller), RunService.ORIGIN_API);
        return Response.accepted(run).location(uri.getAbsolutePathBuilder().path(run.id().toString()).build())
                .build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public List<RunView> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return runs.list(Callers.of(caller).org(), limit);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public RunView get(@PathParam("id") UUID id) {
        return runs.get(id, Callers.of(caller).org());
    }

    /** A running run is cancelled (202 with its state); an ended run is deleted with its outcomes (204). */
    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public Response cancelOrDelete(@PathParam("id") UUID id) {
        return runs.cancelOrDelete(id, Callers.of(caller).org())
                .map(run -> Response.accepted(run).build())
                .orElseGet(() -> Response.noContent().build());
    }

    @GET
    @Path("{id}/outcomes")
    @Produces("application/zip")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public Response outcomes(@PathParam("id") UUID id) {
        return Response.ok(runs.outcomes(id, Callers.of(caller).org()), "application/zip")
                .header("Content-Disposition", "attachment; filename=\"outcomes-" + id + ".zip\"").build();
    }
}
