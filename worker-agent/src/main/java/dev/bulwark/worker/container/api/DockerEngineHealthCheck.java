package dev.bulwark.worker.container.api;

import dev.bulwark.worker.container.config.DockerEngine;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether the Docker engine answers ({@code /q/health/well} and {@code /q/health}). Not a readiness check: without
 * an engine the agent still runs in-process apps, and fails container tasks with the reason.
 */
@Wellness
@ApplicationScoped
public class DockerEngineHealthCheck implements HealthCheck {

    private final DockerEngine engine;

    public DockerEngineHealthCheck(DockerEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        DockerEngine.Probe probe = engine.probe();
        return HealthCheckResponse.named("docker-engine").status(probe.up())
                .withData("host", engine.host().toString())
                .withData(probe.up() ? "version" : "error", probe.detail())
                .build();
    }
}
