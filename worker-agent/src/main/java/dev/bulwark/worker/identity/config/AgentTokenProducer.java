package dev.bulwark.worker.identity.config;

import dev.bulwark.common.security.ClientCredentialsToken;
import dev.bulwark.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The agent's own token: its service account's client credentials at workflow-service, renewed ≥ 30 s ahead. */
@ApplicationScoped
public class AgentTokenProducer {

    @Produces
    @Singleton
    ClientCredentialsToken agentToken(@ConfigProperty(name = "bulwark.workflow.url") String url, WorkerConfig config) {
        return new ClientCredentialsToken(URI.create(url), config.clientId().orElse(null),
                config.clientSecret().orElse(null), Duration.ofSeconds(30), Duration.ofSeconds(3),
                Duration.ofSeconds(10));
    }
}
