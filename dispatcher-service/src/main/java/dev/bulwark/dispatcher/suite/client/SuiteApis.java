package dev.bulwark.dispatcher.suite.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The suite endpoints the suite handlers call (shapes documented in each service's README). */
public final class SuiteApis {

    private SuiteApis() {
    }

    /** workflow-service. */
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public interface Workflows {

        @POST
        @Path("/api/v1/workflows/{id}/execute")
        JsonNode execute(@PathParam("id") String workflowId, JsonNode request);

        @POST
        @Path("/api/v1/hooks/{hookId}")
        JsonNode hook(@PathParam("hookId") String hookId, @HeaderParam("X-Bulwark-Hook-Secret") String secret,
                      JsonNode argument);
    }

    /** backbone-service. */
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public interface Backbone {

        @POST
        @Path("/api/v1/send")
        JsonNode send(JsonNode message);
    }

    /** relay-service (Threat Response relay API). */
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public interface Relay {

        @POST
        @Path("/observe/observables")
        JsonNode observe(JsonNode observables);
    }
}
