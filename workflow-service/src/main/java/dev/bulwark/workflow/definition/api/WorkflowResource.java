package dev.bulwark.workflow.definition.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.definition.domain.WorkflowDocument;
import dev.bulwark.workflow.definition.domain.WorkflowView;
import dev.bulwark.workflow.definition.domain.Workflows;
import dev.bulwark.workflow.execution.domain.Executions;
import dev.bulwark.workflow.identity.api.CallerResolver;
import dev.bulwark.workflow.trigger.domain.TriggerRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;

/** Workflows of the caller's organisation: readers read, users and admins change and run them. */
@Path("/api/v1/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    private final Workflows workflows;
    private final Executions executions;
    private final TriggerRegistry triggers;
    private final CallerResolver callers;

    WorkflowResource(Workflows workflows, Executions executions, TriggerRegistry triggers, CallerResolver callers) {
        this.workflows = workflows;
        this.executions = executions;
        this.triggers = triggers;
        this.callers = callers;
    }

    public record ExecuteRequest(JsonNode argument, @Min(0) @Max(10) Integer priority) {
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public Response create(@Valid @NotNull WorkflowDocument document, UriInfo uri) {
        return created(uri, workflows.create(callers.caller().org(), document));
    }

    /** Imports an exported document as a new workflow (validated like any other). */
    @POST
    @Path("/import")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public Response importDocument(@Valid @NotNull WorkflowDocument document, UriInfo uri) {
        return created(uri, workflows.create(callers.caller().org(), document));
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public List<WorkflowView.Summary> list() {
        return workflows.list(callers.caller().org());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public WorkflowView get(@PathParam("id") UUID id) {
        return workflows.get(callers.caller().org(), id);
    }

    /** A saved version (executions name the version they run). */
    @GET
    @Path("/{id}/versions/{version}")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public WorkflowView version(@PathParam("id") UUID id, @PathParam("version") int version) {
        return workflows.version(callers.caller().org(), id, version);
    }

    /** The document alone, as a file to import elsewhere. */
    @GET
    @Path("/{id}/export")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public Response export(@PathParam("id") UUID id) {
        WorkflowView workflow = workflows.get(callers.caller().org(), id);
        return Response.ok(workflow.document())
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"workflow-" + id + ".json\"").build();
    }

    /** Saves a new version. */
    @PUT
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public WorkflowView update(@PathParam("id") UUID id, @Valid @NotNull WorkflowDocument document) {
        return workflows.update(callers.caller().org(), id, document);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public void delete(@PathParam("id") UUID id) {
        workflows.delete(callers.caller().org(), id);
    }

    /** The webhook address and secret, and the schedules; users only, since the secret starts the workflow. */
    @GET
    @Path("/{id}/triggers")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public TriggerRegistry.TriggerView triggers(@PathParam("id") UUID id) {
        workflows.find(callers.caller().org(), id);
        return triggers.view(id);
    }

    /** Users start workflows; so does the dispatcher (its {@code start_workflow} handler). */
    @POST
    @Path("/{id}/execute")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.DISPATCHER})
    public Response execute(@PathParam("id") UUID id, @Valid ExecuteRequest request) {
        ExecuteRequest given = request == null ? new ExecuteRequest(null, null) : request;
        Executions.Started started = executions.execute(callers.caller().org(), id, given.argument(),
                given.priority() == null ? 5 : given.priority(), "manual");
        return Response.accepted(started).build();
    }

    private static Response created(UriInfo uri, WorkflowView workflow) {
        return Response.created(uri.getBaseUriBuilder().path("api/v1/workflows").path(workflow.id().toString()).build())
                .entity(workflow).build();
    }
}
