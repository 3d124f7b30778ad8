package dev.bulwark.worker.task.domain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.common.testing.WorkflowServiceProcess;
import dev.bulwark.worker.container.config.DockerEngine;
import dev.bulwark.worker.support.ExampleApp;
import dev.bulwark.worker.support.RealIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent under test claims from the real workflow-service (started by {@link RealIssuer}) and runs workflows end
 * to end: the built-in http app against a local server, the tools app, and the example container app on the local
 * Docker engine.
 */
@QuarkusTest
class AgentRunsWorkflowsTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    private static HttpServer users;
    private static final List<String> queries = new CopyOnWriteArrayList<>();
    private static DockerEngine engine;
    private static String app;

    @BeforeAll
    static void setUp() throws IOException {
        engine = ExampleApp.requireEngine();
        String image = ExampleApp.build(engine);
        users = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        users.createContext("/user", exchange -> {
            queries.add(exchange.getRequestURI().getQuery());
            byte[] body = "{\"name\":\"Ada\",\"role\":\"analyst\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        users.start();
        app = "example-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(workflow().url()).auth().oauth2(workflow().adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", app, "version", "1.0.0", "image", image, "actions", List.of(
                        Map.of("name", "hello", "parameters", List.of(Map.of("name", "name", "type", "string",
                                "required", true))),
                        Map.of("name", "sleep", "parameters", List.of(Map.of("name", "seconds", "type", "number",
                                "required", true))))))
                .when().post("/api/v1/apps").then().statusCode(201);
    }

    @AfterAll
    static void tearDown() {
        users.stop(0);
        assertThat(ExampleApp.leftBehind(engine)).as("containers left behind").isEmpty();
        engine.close();
    }

    @Test
    void httpToolsAndContainerActionsRunToFinished() throws Exception {
        String workflowId = create(Map.of("name", "agent end to end " + UUID.randomUUID(), "start", "fetch",
                "exitOnError", true,
                "actions", List.of(
                        Map.of("id", "fetch", "app", "http", "action", "request", "parameters", Map.of(
                                "url", "http://localhost:" + users.getAddress().getPort() + "/user",
                                "query", Map.of("id", "$exec.userId"))),
                        Map.of("id", "greet", "app", app, "action", "hello",
                                "parameters", Map.of("name", "$fetch.body.name")),
                        Map.of("id", "digest", "app", "tools", "action", "hash",
                                "parameters", Map.of("input", "$greet.greeting"))),
                "branches", List.of(Map.of("source", "fetch", "destination", "greet"),
                        Map.of("source", "greet", "destination", "digest")),
                "triggers", List.of(Map.of("type", "manual"))));

        JsonPath execution = runToEnd(workflowId, Map.of("userId", "7"));

        assertThat(execution.getString("status")).as(execution.prettify()).isEqualTo("FINISHED");
        assertThat(queries).contains("id=7");
        assertThat(execution.getInt("results.find { it.actionId == 'fetch' }.output.status")).isEqualTo(200);
        assertThat(execution.getString("results.find { it.actionId == 'fetch' }.output.body.role")).isEqualTo("analyst");
        assertThat(execution.getString("results.find { it.actionId == 'greet' }.output.greeting")).isEqualTo("hello, Ada");
        assertThat(execution.getString("results.find { it.actionId == 'digest' }.output")).isEqualTo(sha256("hello, Ada"));
        assertThat(ExampleApp.leftBehind(engine)).isEmpty();
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("bulwark_worker_tasks_finished_total{outcome=\"succeeded\"}")
                .contains("bulwark_worker_claim_latency_seconds_count{result=\"tasks\"}")
                .contains("bulwark_worker_task_duration_seconds_count{app=\"" + app + "\"}");
        given().when().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'docker-engine' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'task-queue' }.status", equalTo("UP"));
    }

    @Test
    void httpToALoopbackAddressIsRefusedByTheEgressPolicy() {
        // Issue 13: any user made the worker fetch a local service's health endpoint and read it in the output.
        String internal = "http://127.0.0.1:" + URI.create(workflow().url()).getPort() + "/q/health";
        String workflowId = create(Map.of("name", "agent egress " + UUID.randomUUID(), "start", "peek",
                "exitOnError", true,
                "actions", List.of(Map.of("id", "peek", "app", "http", "action", "request",
                        "parameters", Map.of("url", internal))),
                "triggers", List.of(Map.of("type", "manual"))));

        JsonPath execution = runToEnd(workflowId, Map.of());

        assertThat(execution.getString("results.find { it.actionId == 'peek' }.status")).as(execution.prettify())
                .isEqualTo("FAILURE");
        assertThat(execution.getString("results.find { it.actionId == 'peek' }.error"))
                .startsWith("http://127.0.0.1:" + URI.create(workflow().url()).getPort()
                        + " is refused by the egress policy: 127.0.0.1 is a loopback address");
        assertThat(execution.getString("results.find { it.actionId == 'peek' }.output")).isNull();
    }

    @Test
    void aContainerThatSleepsPastItsTimeoutIsKilledAndRemoved() {
        String workflowId = create(Map.of("name", "agent timeout " + UUID.randomUUID(), "start", "nap",
                "exitOnError", true,
                "actions", List.of(Map.of("id", "nap", "app", app, "action", "sleep", "timeoutSeconds", 2,
                        "parameters", Map.of("seconds", 120))),
                "triggers", List.of(Map.of("type", "manual"))));
        long start = System.nanoTime();

        JsonPath execution = runToEnd(workflowId, Map.of());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(execution.getString("results.find { it.actionId == 'nap' }.status")).as(execution.prettify())
                .isEqualTo("FAILURE");
        assertThat(execution.getString("results.find { it.actionId == 'nap' }.error")).isEqualTo("timed out after 2 s");
        assertThat(ExampleApp.leftBehind(engine)).isEmpty();
        assertThat(given().when().get("/q/metrics").then().extract().asString())
                .contains("bulwark_worker_tasks_finished_total{outcome=\"timed_out\"}");
    }

    @Test
    void anAbortedExecutionsRunningContainerIsKilledOnTheNextHeartbeat() {
        String workflowId = create(Map.of("name", "agent abort " + UUID.randomUUID(), "start", "nap",
                "exitOnError", true,
                "actions", List.of(Map.of("id", "nap", "app", app, "action", "sleep", "timeoutSeconds", 120,
                        "parameters", Map.of("seconds", 100))),
                "triggers", List.of(Map.of("type", "manual"))));
        String admin = workflow().adminToken();
        String executionId = given().baseUri(workflow().url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("argument", Map.of())).when().post("/api/v1/workflows/" + workflowId + "/execute")
                .then().statusCode(202).extract().path("executionId");
        await().atMost(RUN_TIMEOUT).until(() -> !ExampleApp.leftBehind(engine).isEmpty());

        given().baseUri(workflow().url()).auth().oauth2(admin).when().post("/api/v1/executions/" + executionId + "/abort")
                .then().statusCode(200).body("status", equalTo("ABORTED"));

        await().atMost(Duration.ofSeconds(30)).until(() -> ExampleApp.leftBehind(engine).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> given().when().get("/q/metrics").then().extract().asString()
                .contains("bulwark_worker_tasks_finished_total{outcome=\"lease_lost\"}"));
    }

    private static String create(Map<String, Object> document) {
        return given().baseUri(workflow().url()).auth().oauth2(workflow().adminToken()).contentType(ContentType.JSON)
                .body(document).when().post("/api/v1/workflows").then().statusCode(201).extract().path("id");
    }

    /** Executes the workflow and waits for a terminal status; returns the execution. */
    static JsonPath runToEnd(String workflowId, Map<String, Object> argument) {
        String admin = workflow().adminToken();
        String executionId = given().baseUri(workflow().url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("argument", argument)).when().post("/api/v1/workflows/" + workflowId + "/execute")
                .then().statusCode(202).extract().path("executionId");
        return await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(
                () -> given().baseUri(workflow().url()).auth().oauth2(admin)
                        .when().get("/api/v1/executions/" + executionId).then().statusCode(200).extract().jsonPath(),
                execution -> List.of("FINISHED", "FAILED", "ABORTED").contains(execution.getString("status")));
    }

    private static WorkflowServiceProcess workflow() {
        return RealIssuer.workflow();
    }

    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
