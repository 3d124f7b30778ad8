package dev.bulwark.common.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * A service account's bearer token from the suite's issuer ({@code POST /api/v1/auth/token} of workflow-service,
 * grant {@code client_credentials}), kept and renewed before it expires — when a fifth of its lifetime or
 * {@code renewBefore} is left, whichever is more (half-way for tokens shorter than that) — or at once after a
 * service refused it ({@link #invalidate()}). A plain JDK HTTP client: interrupting the caller ends a call in flight.
 * The one implementation of service-to-service tokens (worker-agent, dispatcher-service).
 */
public final class ClientCredentialsToken {

    public static final String TOKEN_PATH = "/api/v1/auth/token";
    private static final Logger LOG = Logger.getLogger(ClientCredentialsToken.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String clientId;
    private final String clientSecret;
    private final Duration renewBefore;
    private final Duration timeout;
    private final HttpClient http;
    private final Clock clock = Clock.systemUTC();
    private String bearer;
    private Instant renewAt = Instant.MIN;

    public ClientCredentialsToken(URI issuer, String clientId, String clientSecret, Duration renewBefore,
                                  Duration connectTimeout, Duration timeout) {
        this.endpoint = issuer.resolve(TOKEN_PATH);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.renewBefore = renewBefore;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
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
     * @throws IOException when the issuer cannot be reached, or {@link Refused} when it grants no token
     */
    public synchronized String authorization() throws IOException, InterruptedException {
        Instant now = clock.instant();
        if (bearer == null || !now.isBefore(renewAt)) {
            JsonNode answer = take();
            long seconds = Math.max(1, answer.path("expires_in").asLong(300));
            Duration life = Duration.ofSeconds(seconds);
            Duration fifth = life.dividedBy(5);
            Duration margin = fifth.compareTo(renewBefore) > 0 ? fifth : renewBefore;
            renewAt = margin.compareTo(life) >= 0 ? now.plus(life.dividedBy(2)) : now.plus(life).minus(margin);
            bearer = "Bearer " + answer.get("access_token").asText();
            LOG.debugf("token for %s taken, valid %d s, renewed from %s", clientId, seconds, renewAt);
        }
        return bearer;
    }

    /** Forgets the token after a service refused it, so the next call takes a new one. */
    public synchronized void invalidate() {
        bearer = null;
    }

    private JsonNode take() throws IOException, InterruptedException {
        if (!configured()) {
            throw new Refused("no client id and secret are configured");
        }
        // RFC 6749 §4.4.2: a form-encoded token request.
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status != 200) {
            throw new Refused("taking a token for " + clientId + " answered HTTP " + status
                    + (status == 400 || status == 401 ? " (client id or secret refused)" : ""));
        }
        JsonNode answer = JSON.readTree(response.body());
        if (!answer.path("access_token").isTextual()) {
            throw new Refused("the issuer answered no access_token for " + clientId);
        }
        return answer;
    }

    /** The issuer answered the token request, but not with a token. */
    public static final class Refused extends IOException {

        public Refused(String message) {
            super(message);
        }
    }
}
