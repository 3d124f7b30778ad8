package dev.bulwark.worker.task.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.security.ClientCredentialsToken;
import dev.bulwark.common.tasks.ClaimRequest;
import dev.bulwark.common.tasks.ClaimResponse;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.common.tasks.Heartbeat;
import dev.bulwark.common.tasks.HeartbeatResponse;
import dev.bulwark.common.tasks.TaskProtocol;
import dev.bulwark.common.tasks.TaskResult;
import dev.bulwark.common.tasks.TaskResults;
import dev.bulwark.common.tasks.TaskResultsResponse;
import dev.bulwark.common.tracing.TraceContext;
import dev.bulwark.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The agent's side of the queue API of workflow-service — claim, heartbeat, results — each with the agent's token
 * (taken again once after a 401). A plain JDK HTTP client, so that interrupting the claiming thread ends a long poll
 * in flight. Failures are sorted into {@link Refused} (a 4xx that a retry cannot cure) and {@link Unreachable}
 * (network errors, 5xx, 408, 429, refused credentials: a later retry may succeed).
 */
@ApplicationScoped
public class WorkflowQueue {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ClientCredentialsToken token;
    private final URI base;
    private final Duration claimTimeout;
    private final ObjectMapper json;
    private final HttpClient http;

    @Inject
    WorkflowQueue(ClientCredentialsToken token, WorkerConfig config, @ConfigProperty(name = "bulwark.workflow.url") String url,
                  ObjectMapper json) {
        this(token, URI.create(url), config.claimWait(), json);
    }

    public WorkflowQueue(ClientCredentialsToken token, URI workflowService, Duration claimWait, ObjectMapper json) {
        this.token = token;
        this.base = workflowService;
        this.claimTimeout = claimWait.plus(CALL_TIMEOUT);
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** Claims tasks, waiting up to the request's wait; interrupting the thread ends the wait at once. */
    public ClaimResponse claim(ClaimRequest request) throws Unreachable, InterruptedException {
        try {
            return post(TaskProtocol.CLAIM, request, claimTimeout, ClaimResponse.class);
        } catch (Refused e) {
            throw new Unreachable("claim answered " + e.getMessage());
        }
    }

    /** Renews the lease; the new expiry when workflow-service tells it. */
    public Optional<Instant> heartbeat(ClaimedTask task) throws Refused, Unreachable, InterruptedException {
        HeartbeatResponse answer = post(TaskProtocol.heartbeat(task.taskId()), new Heartbeat(task.attempt()),
                CALL_TIMEOUT, HeartbeatResponse.class);
        return Optional.ofNullable(answer).map(HeartbeatResponse::leaseExpiresAt);
    }

    public void result(ClaimedTask task, TaskResult result) throws Refused, Unreachable, InterruptedException {
        post(TaskProtocol.result(task.taskId()), result, CALL_TIMEOUT, null);
    }

    /** Posts several results in one call; what became of each, in the order given. */
    public List<TaskResultsResponse.Outcome> results(List<TaskResults.Item> results)
            throws Refused, Unreachable, InterruptedException {
        TaskResultsResponse answer = post(TaskProtocol.RESULTS, new TaskResults(results), CALL_TIMEOUT,
                TaskResultsResponse.class);
        if (answer == null || answer.results().size() != results.size()) {
            throw new Unreachable("unexpected answer to " + TaskProtocol.RESULTS + ": not one outcome per result");
        }
        return answer.results();
    }

    /** The result's size on the wire, in bytes. */
    public int size(TaskResult result) {
        try {
            return json.writeValueAsBytes(result).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a task result", e);
        }
    }

    /** The status of workflow-service's liveness endpoint, for the agent's readiness. */
    public int live() throws Unreachable, InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/q/health/live")).timeout(CONNECT_TIMEOUT).GET()
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private <T> T post(String path, Object body, Duration timeout, Class<T> answer)
            throws Refused, Unreachable, InterruptedException {
        HttpResponse<String> response = send(path, body, timeout, authorization());
        if (response.statusCode() == 401) {
            token.invalidate();
            response = send(path, body, timeout, authorization());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (answer == null || response.body().isBlank()) {
                return null;
            }
            try {
                return json.readValue(response.body(), answer);
            } catch (JsonProcessingException e) {
                throw new Unreachable("unexpected answer to " + path + ": " + e.getOriginalMessage());
            }
        }
        if (status == 401 || status == 403) {
            throw new Unreachable("HTTP " + status + ": the credentials of " + token.clientId()
                    + " were refused (a service account with role worker is needed)");
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new Refused("HTTP " + status);
        }
        throw new Unreachable("HTTP " + status);
    }

    private HttpResponse<String> send(String path, Object body, Duration timeout, String authorization)
            throws Unreachable, InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
            return http.send(TraceContext.withTraceHeaders(request), HttpResponse.BodyHandlers.ofString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        } catch (IOException e) {
            throw new Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private String authorization() throws Unreachable, InterruptedException {
        try {
            return token.authorization();
        } catch (ClientCredentialsToken.Refused e) {
            throw new Unreachable(e.getMessage());
        } catch (IOException e) {
            throw new Unreachable("taking a token failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
