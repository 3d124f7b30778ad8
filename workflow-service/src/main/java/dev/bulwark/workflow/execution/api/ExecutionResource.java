package dev.bulwark.workflow.execution.api;

import dev.bulwark.common.security.Claims;
import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.execution.domain.Execution;
import dev.bulwark.workflow.execution.domain.Executions;
import dev.bulwark.workflow.identity.api.CallerResolver;
import dev.bulwark.workflow.identity.domain.Caller;
import io.quarkus.security.ForbiddenException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Executions of the caller's organisation. An execution token reads its own execution while it is active; the
 * dispatcher reads the executions it started.
 */
@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionResource {

    private final Executions executions;
    private final CallerResolver callers;
    private final JsonWebToken token;

    ExecutionResource(Executions executions, CallerResolver callers, JsonWebToken token) {
        this.executions = executions;
        this.callers = callers;
        this.token = token;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public Executions.PageView list(@QueryParam("workflowId") UUID workflowId,
                                    @QueryParam("status") Execution.Status status,
                                    @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                    @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return executions.list(callers.caller().org(), workflowId, status, page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER, Roles.DISPATCHER, Roles.EXECUTION})
    public Executions.ExecutionView get(@PathParam("id") UUID id) {
        Caller caller = callers.caller();
        if (caller.roles().contains(Roles.EXECUTION)) {
            Object exec = token.getClaim(Claims.EXEC);
            String bound = exec instanceof jakarta.json.JsonString text ? text.getString() : String.valueOf(exec);
            if (!id.toString().equals(bound) || !executions.active(caller.org(), id)) {
                throw new ForbiddenException();
            }
        }
        return executions.get(caller.org(), id);
    }

    @POST
    @Path("/{id}/abort")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public Executions.ExecutionView abort(@PathParam("id") UUID id) {
        return executions.abort(callers.caller().org(), id);
    }

    @POST
    @Path("/{id}/rerun")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public Response rerun(@PathParam("id") UUID id) {
        return Response.accepted(executions.rerun(callers.caller().org(), id)).build();
    }
}
