package dev.bulwark.orchestrator.run.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.orchestrator.run.domain.RunService;
import dev.bulwark.orchestrator.run.domain.TesterPlan;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What each tester would do for a job, without sending any traffic. */
@Path("/api/v1/test-plans")
@Produces(MediaType.APPLICATION_JSON)
public class TestPlanResource {

    static final String JSON_API = "application/vnd.api+json";

    private final RunService runs;

    TestPlanResource(RunService runs) {
        this.runs = runs;
    }

    /** The plan of every tester. */
    public record Plan(List<TesterPlan> testers) {
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, JSON_API})
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    public Plan plan(String job) {
        return new Plan(runs.plan(runs.parse(job)));
    }
}
