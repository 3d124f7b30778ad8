package dev.bulwark.orchestrator.purpleteam.api;

import dev.bulwark.orchestrator.config.OrchestratorConfig;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/** Every purpleteam endpoint answers 404 while {@code bulwark.orchestrator.compat.enabled} is off. */
public class PurpleteamSwitch {

    private final OrchestratorConfig config;

    PurpleteamSwitch(OrchestratorConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public Optional<Response> whenDisabled(SimpleResourceInfo resource) {
        if (resource.getResourceClass() != PurpleteamResource.class || config.compat().enabled()) {
            return Optional.empty();
        }
        return Optional.of(Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("message", "The purpleteam endpoints are disabled (bulwark.orchestrator.compat.enabled)"))
                .build());
    }
}
