package dev.bulwark.worker.task.api;

import dev.bulwark.worker.task.domain.AgentMetrics;
import dev.bulwark.worker.task.domain.ClaimLoop;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Whether the agent's claims succeed ({@code /q/health/well}), with the last failure and the tasks running now. */
@Wellness
@ApplicationScoped
public class TaskQueueHealthCheck implements HealthCheck {

    private final ClaimLoop loop;
    private final AgentMetrics metrics;

    public TaskQueueHealthCheck(ClaimLoop loop, AgentMetrics metrics) {
        this.loop = loop;
        this.metrics = metrics;
    }

    @Override
    public HealthCheckResponse call() {
        String error = loop.lastError();
        var response = HealthCheckResponse.named("task-queue").status(error == null).withData("running", metrics.running());
        return (error == null ? response : response.withData("error", error)).build();
    }
}
