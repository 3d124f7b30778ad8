package dev.bulwark.worker.task.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.security.ClientCredentialsToken;
import dev.bulwark.worker.action.domain.ActionResult;
import dev.bulwark.worker.task.api.TaskQueueHealthCheck;
import dev.bulwark.worker.task.messaging.WorkflowQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The claim loop while workflow-service cannot be reached: bounded, jittered backoff, never a tight loop. */
class ClaimLoopTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AgentMetrics metrics = new AgentMetrics(registry);

    @Test
    void anUnreachableWorkflowServiceIsRetriedWithGrowingPauses() throws IOException {
        URI nowhere;
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        ClaimLoop loop = loop(nowhere, "agent", "secret");
        long start = System.nanoTime();
        loop.start();
        try {
            // Pauses of at least 100, 200, 400, 500, 500 ms (half of 200 ms doubling up to 1 s) separate six claims.
            await().atMost(Duration.ofSeconds(20)).until(() -> failedClaims() >= 6);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1700));
            assertThat(loop.lastError()).startsWith("taking a token failed: ConnectException");
            HealthCheckResponse health = new TaskQueueHealthCheck(loop, metrics).call();
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(health.getData()).get().satisfies(data -> assertThat(data.get("error")).isEqualTo(loop.lastError()));
        } finally {
            loop.stop();
        }
    }

    @Test
    void withoutCredentialsNothingIsClaimedAndHealthSaysWhy() {
        ClaimLoop loop = loop(URI.create("http://127.0.0.1:9"), null, null);
        loop.start();
        loop.stop();
        assertThat(failedClaims()).isZero();
        assertThat(loop.lastError()).contains("BULWARK_WORKER_CLIENT_ID");
        assertThat(new TaskQueueHealthCheck(loop, metrics).call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    private ClaimLoop loop(URI workflow, String clientId, String secret) {
        ClientCredentialsToken token = new ClientCredentialsToken(workflow, clientId, secret, Duration.ofSeconds(30),
                Duration.ofSeconds(3), Duration.ofSeconds(10));
        WorkflowQueue queue = new WorkflowQueue(token, workflow, Duration.ofSeconds(5), JSON);
        TaskRunner runner = new TaskRunner((task, control) -> ActionResult.of(null), queue, metrics, 2,
                Duration.ofSeconds(1));
        return new ClaimLoop(queue, runner, metrics, token, "default", Duration.ofSeconds(5),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)), Duration.ofSeconds(1));
    }

    private long failedClaims() {
        var timer = registry.find("bulwark.worker.claim.latency").tag("result", "error").timer();
        return timer == null ? 0 : timer.count();
    }
}
