package dev.bulwark.worker.task.api;

import dev.bulwark.worker.task.messaging.Unreachable;
import dev.bulwark.worker.task.messaging.WorkflowQueue;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while workflow-service, which hands out the tasks, answers. */
@Readiness
@ApplicationScoped
public class WorkflowServiceHealthCheck implements HealthCheck {

    private final WorkflowQueue workflow;
    private final String url;

    WorkflowServiceHealthCheck(WorkflowQueue workflow, @ConfigProperty(name = "bulwark.workflow.url") String url) {
        this.workflow = workflow;
        this.url = url;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("workflow-service").withData("url", url);
        try {
            int status = workflow.live();
            return response.status(status == 200).withData("status", status).build();
        } catch (Unreachable e) {
            return response.down().withData("error", "unreachable: " + e.getMessage()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        }
    }
}
