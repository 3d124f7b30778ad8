package dev.bulwark.worker.task.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.common.tasks.ClaimRequest;
import dev.bulwark.common.tasks.ClaimResponse;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.common.tasks.Heartbeat;
import dev.bulwark.common.tasks.HeartbeatResponse;
import dev.bulwark.common.tasks.TaskResult;
import dev.bulwark.common.tasks.TaskResults;
import dev.bulwark.common.tasks.TaskResultsResponse;
import dev.bulwark.common.testing.WorkflowServiceProcess;
import dev.bulwark.worker.support.RealIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The task protocol as the agent speaks it, against the real workflow-service: what the agent claims is what the
 * service hands out (container apps that ask for a network get one, and the execution token with it; the others
 * neither), heartbeats and results are accepted (one, and several in one call), and the service's published OpenAPI schemas name exactly the fields of the shared
 * records in {@code dev.bulwark.common.tasks} — a drift on either side fails here.
 */
@QuarkusTest
class TaskProtocolContractTest {

    /** The trace every execution of this test is started in (W3C traceparent header of the execute request). */
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Inject
    WorkflowQueue queue;

    @Test
    void aContainerAppThatAsksForANetworkIsHandedOutWithOneAndTheOthersWithout() throws Exception {
        String environment = "contract-" + UUID.randomUUID();
        String withNetwork = execute(environment, containerApp(true));
        ClaimedTask task = claim(environment);
        assertThat(task.executionId()).hasToString(withNetwork);
        assertThat(task.network()).isTrue();
        assertThat(task.image()).isEqualTo("bulwark-example/contract:1");
        assertThat(task.executionToken()).isNotBlank();
        assertThat(task.leaseExpiresAt()).isAfter(Instant.now());
        assertThat(task.toString()).doesNotContain(task.executionToken());
        assertThat(task.traceparent()).as("the trace of the request that started the execution")
                .startsWith("00-" + TRACE_ID + "-");

        Instant renewed = queue.heartbeat(task).orElseThrow();
        assertThat(renewed).isAfter(Instant.now());
        queue.result(task, new TaskResult(task.attempt(), TaskResult.Status.SUCCESS, null, null, null));
        assertThat(await().atMost(Duration.ofSeconds(60)).until(
                () -> RealIssuer.execution(withNetwork).getString("status"),
                status -> Set.of("FINISHED", "FAILED", "ABORTED").contains(status))).isEqualTo("FINISHED");

        execute(environment, containerApp(false));
        ClaimedTask offline = claim(environment);
        assertThat(offline.network()).isFalse();
        assertThat(offline.executionToken()).as("only an app with a network can use the token").isNull();
        assertThat(offline.orgId()).isEqualTo(task.orgId()).isNotNull();
        UUID unknown = UUID.randomUUID();
        List<TaskResultsResponse.Outcome> outcomes = queue.results(List.of(
                new TaskResults.Item(offline.taskId(), new TaskResult(offline.attempt(), TaskResult.Status.FAILURE,
                        null, "stopped", null)),
                new TaskResults.Item(unknown, new TaskResult(1, TaskResult.Status.SUCCESS, null, null, null))));
        assertThat(outcomes).extracting(TaskResultsResponse.Outcome::taskId).containsExactly(offline.taskId(), unknown);
        assertThat(outcomes).extracting(TaskResultsResponse.Outcome::status).containsExactly(
                TaskResultsResponse.Outcome.Status.RECORDED, TaskResultsResponse.Outcome.Status.NOT_FOUND);
    }

    @Test
    void theServicesPublishedSchemasAreTheSharedRecords() {
        JsonPath openapi = given().baseUri(RealIssuer.workflow().url()).accept(ContentType.JSON)
                .when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        for (Class<?> record : List.of(ClaimRequest.class, ClaimResponse.class, ClaimedTask.class, Heartbeat.class,
                HeartbeatResponse.class, TaskResult.class, TaskResults.class, TaskResultsResponse.class)) {
            Map<String, Object> properties = openapi.getMap("components.schemas." + record.getSimpleName()
                    + ".properties");
            assertThat(properties).as("schema %s published by workflow-service", record.getSimpleName()).isNotNull();
            assertThat(new TreeSet<>(properties.keySet())).as(record.getSimpleName()).isEqualTo(fields(record));
        }
    }

    private static Set<String> fields(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private ClaimedTask claim(String environment) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> queue.claim(new ClaimRequest(environment, 1, 2)).tasks(), tasks -> !tasks.isEmpty()).get(0);
    }

    /** A new container app (name and version unique to the call); returns its name. */
    private static String containerApp(boolean network) {
        WorkflowServiceProcess workflow = RealIssuer.workflow();
        String name = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(workflow.url()).auth().oauth2(workflow.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "version", "1.0.0", "image", "bulwark-example/contract:1",
                        "network", network,
                        "actions", List.of(Map.of("name", "run", "parameters", List.of()))))
                .when().post("/api/v1/apps").then().statusCode(201);
        return name;
    }

    private static String execute(String environment, String app) {
        WorkflowServiceProcess workflow = RealIssuer.workflow();
        String workflowId = given().baseUri(workflow.url()).auth().oauth2(workflow.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "contract " + app, "start", "run", "exitOnError", true,
                        "actions", List.of(Map.of("id", "run", "app", app, "version", "1.0.0", "action", "run",
                                "environment", environment, "timeoutSeconds", 30, "parameters", Map.of())),
                        "triggers", List.of(Map.of("type", "manual"))))
                .when().post("/api/v1/workflows").then().statusCode(201).extract().path("id");
        return given().baseUri(workflow.url()).auth().oauth2(workflow.adminToken()).contentType(ContentType.JSON)
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .body(Map.of("argument", Map.of())).when().post("/api/v1/workflows/" + workflowId + "/execute")
                .then().statusCode(202).extract().path("executionId");
    }
}
