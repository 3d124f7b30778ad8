package dev.bulwark.worker.upstream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** REST client of workflow-service for its health ({@code quarkus.rest-client.workflow.*}). */
@RegisterRestClient(configKey = "workflow")
public interface WorkflowServiceClient {

    @GET
    @Path("/q/health/live")
    Response live();
}
