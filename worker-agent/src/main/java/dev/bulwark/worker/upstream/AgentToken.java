package dev.bulwark.worker.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.worker.config.WorkerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The agent's own bearer token, taken from workflow-service ({@code POST /api/v1/auth/token}) with its service
 * account's client credentials and renewed before it expires (when a fifth of its lifetime is left, at least 30 s
 * before), or at once after workflow-service refused it. A plain JDK HTTP client: interrupting the caller ends a call.
 */
@ApplicationScoped
public class AgentToken {

    private static final Duration MIN_MARGIN = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI endpoint;
    private final String clientId;
    private final String clientSecret;
    private final ObjectMapper json;
    private final HttpClient http;
    private String bearer;
    private Instant renewAt = Instant.MIN;

    @Inject
    AgentToken(@ConfigProperty(name = "bulwark.workflow.url") String url, WorkerConfig config, ObjectMapper json) {
        this(URI.create(url), config.clientId().orElse(null), config.clientSecret().orElse(null), json);
    }

    public AgentToken(URI workflowService, String clientId, String clientSecret, ObjectMapper json) {
        this.endpoint = workflowService.resolve("/api/v1/auth/token");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** Whether client id and secret are configured. */
    public boolean configured() {
        return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isBlank();
    }

    public String clientId() {
        return clientId;
    }

    /**
     * {@code Bearer <token>}, taking or renewing the token when due.
     *
     * @throws IOException when workflow-service cannot be reached or does not grant a token ({@link Refused})
     */
    public synchronized String authorization() throws IOException, InterruptedException {
        Instant now = Instant.now();
        if (bearer == null || !now.isBefore(renewAt)) {
            TokenResponse token = take();
            Duration life = Duration.ofSeconds(Math.max(1, token.expiresIn()));
            Duration margin = life.dividedBy(5).compareTo(MIN_MARGIN) > 0 ? life.dividedBy(5) : MIN_MARGIN;
            renewAt = margin.compareTo(life) >= 0 ? now.plus(life.dividedBy(2)) : now.plus(life).minus(margin);
            bearer = "Bearer " + token.accessToken();
            Log.debugf("token for %s taken, valid %d s, renewed from %s", clientId, token.expiresIn(), renewAt);
        }
        return bearer;
    }

    /** Forgets the token after workflow-service refused it, so the next call takes a new one. */
    public synchronized void invalidate() {
        bearer = null;
    }

    private TokenResponse take() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        TokenRequest.clientCredentials(clientId, clientSecret))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new Refused("taking a token for " + clientId + " answered HTTP " + response.statusCode()
                    + (response.statusCode() == 400 || response.statusCode() == 401 ? " (client id or secret refused)" : ""));
        }
        return json.readValue(response.body(), TokenResponse.class);
    }

    /** workflow-service answered the token request, but not with a token. */
    public static final class Refused extends IOException {

        Refused(String message) {
            super(message);
        }
    }
}
