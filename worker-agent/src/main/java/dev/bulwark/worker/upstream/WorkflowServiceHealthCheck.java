package dev.bulwark.worker.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Ready only while workflow-service, which hands out the tasks, answers. */
@Readiness
@ApplicationScoped
public class WorkflowServiceHealthCheck implements HealthCheck {

    private final WorkflowServiceClient workflow;
    private final String url;

    WorkflowServiceHealthCheck(@RestClient WorkflowServiceClient workflow,
                               @ConfigProperty(name = "bulwark.workflow.url") String url) {
        this.workflow = workflow;
        this.url = url;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("workflow-service").withData("url", url);
        try (var answer = workflow.live()) {
            return response.status(answer.getStatus() == 200).withData("status", answer.getStatus()).build();
        } catch (WebApplicationException e) {
            return response.down().withData("status", e.getResponse().getStatus()).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", "unreachable: " + e.getClass().getSimpleName()).build();
        }
    }
}
