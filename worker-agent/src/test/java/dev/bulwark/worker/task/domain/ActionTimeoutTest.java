package dev.bulwark.worker.task.domain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.bulwark.common.tasks.ClaimRequest;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.common.testing.WorkflowServiceProcess;
import dev.bulwark.worker.action.domain.ActionResult;
import dev.bulwark.worker.support.RealIssuer;
import dev.bulwark.worker.task.messaging.WorkflowQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A task ends at its timeout even when its action keeps the CPU busy and ignores interruption: the result is
 * FAILURE "timed out", posted while the action still runs, never the action's late success.
 */
@QuarkusTest
class ActionTimeoutTest {

    @Inject
    WorkflowQueue queue;

    @Test
    void aCpuBoundActionFailsAtItsTimeoutNotWithItsLateResult() throws Exception {
        String environment = "cpu-bound-" + UUID.randomUUID();
        String executionId = execute(environment);
        AtomicBoolean release = new AtomicBoolean();
        AtomicReference<Thread> actionThread = new AtomicReference<>();
        TaskRunner runner = new TaskRunner((task, control) -> {
            actionThread.set(Thread.currentThread());
            long spins = 0;
            while (!release.get()) {
                spins++;   // busy, and deaf to interrupts
            }
            return ActionResult.of(TextNode.valueOf("late after " + spins + " spins"));
        }, queue, new AgentMetrics(new SimpleMeterRegistry()), 1, Duration.ofSeconds(30));
        try {
            ClaimedTask task = await().atMost(Duration.ofSeconds(30)).until(
                    () -> queue.claim(new ClaimRequest(environment, 1, 2)).tasks(), tasks -> !tasks.isEmpty()).get(0);
            runner.acquireSlots();
            runner.start(task, Instant.now());

            JsonPath execution = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> RealIssuer.execution(executionId), e -> "FAILED".equals(e.getString("status")));

            assertThat(execution.getString("results.find { it.actionId == 'spin' }.status")).isEqualTo("FAILURE");
            assertThat(execution.getString("results.find { it.actionId == 'spin' }.error"))
                    .isEqualTo("timed out after 1 s");
            assertThat(actionThread.get().isAlive()).as("the action still spins").isTrue();
        } finally {
            release.set(true);
        }
        // Its slot comes back once the action's thread has really ended.
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), runner::acquireSlots)).isEqualTo(1);
        assertThat(RealIssuer.execution(executionId).getString("results.find { it.actionId == 'spin' }.status"))
                .isEqualTo("FAILURE");
        runner.shutdown(Duration.ofSeconds(5));
    }

    private static String execute(String environment) {
        WorkflowServiceProcess workflow = RealIssuer.workflow();
        String workflowId = given().baseUri(workflow.url()).auth().oauth2(workflow.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "cpu-bound " + environment, "start", "spin", "exitOnError", true,
                        "actions", List.of(Map.of("id", "spin", "app", "tools", "action", "echo",
                                "environment", environment, "timeoutSeconds", 1, "parameters", Map.of("value", 1))),
                        "triggers", List.of(Map.of("type", "manual"))))
                .when().post("/api/v1/workflows").then().statusCode(201).extract().path("id");
        return given().baseUri(workflow.url()).auth().oauth2(workflow.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("argument", Map.of())).when().post("/api/v1/workflows/" + workflowId + "/execute")
                .then().statusCode(202).extract().path("executionId");
    }
}
