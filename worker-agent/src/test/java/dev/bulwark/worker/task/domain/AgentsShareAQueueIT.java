package dev.bulwark.worker.task.domain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.common.testing.WorkflowServiceProcess;
import dev.bulwark.worker.container.config.DockerEngine;
import dev.bulwark.worker.support.AgentProcess;
import dev.bulwark.worker.support.ExampleApp;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packaged agents, each its own process, against the real workflow-service (leases of 6 s, watchdog every second:
 * see the failsafe configuration): they share a queue without running a task twice, a killed agent's task is run
 * again by another once its lease expires (and its container is removed when it comes back), and a stopped agent
 * finishes what it runs within its grace period.
 */
class AgentsShareAQueueIT {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private static WorkflowServiceProcess workflow;
    private static DockerEngine engine;
    private static String app;
    private static HttpServer target;
    private static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() throws IOException {
        engine = ExampleApp.requireEngine();
        String image = ExampleApp.build(engine);
        workflow = WorkflowServiceProcess.start();
        app = "example-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(workflow.url()).auth().oauth2(workflow.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", app, "version", "1.0.0", "image", image, "actions", List.of(
                        Map.of("name", "sleep", "parameters", List.of(Map.of("name", "seconds", "type", "number",
                                "required", true))))))
                .when().post("/api/v1/apps").then().statusCode(201);
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/hit/", exchange -> {
            hits.computeIfAbsent(exchange.getRequestURI().getPath().substring("/hit/".length()),
                    item -> new AtomicInteger()).incrementAndGet();
            try {
                NEVER.await(300, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        target.setExecutor(Executors.newCachedThreadPool());
        target.start();
    }

    @AfterAll
    static void tearDown() {
        NEVER.countDown();
        if (target != null) {
            target.stop(0);
        }
        if (workflow != null) {
            workflow.close();
        }
        assertThat(ExampleApp.leftBehind(engine)).as("containers left behind").isEmpty();
        engine.close();
    }

    @Test
    void twoAgentsShareAQueueAndRunEveryTaskOnce() {
        String environment = "share-" + UUID.randomUUID();
        List<String> items = IntStream.range(0, 12).mapToObj(i -> environment + "-item-" + i).toList();
        String workflowId = create(Map.of("name", "shared " + environment, "start", "items", "exitOnError", true,
                "actions", List.of(
                        Map.of("id", "items", "app", "tools", "action", "echo", "environment", environment,
                                "parameters", Map.of("value", "$exec.items")),
                        Map.of("id", "hit", "app", "http", "action", "request", "environment", environment,
                                "parameters", Map.of("method", "POST",
                                        "url", "http://127.0.0.1:" + target.getAddress().getPort() + "/hit/$items.#"))),
                "branches", List.of(Map.of("source", "items", "destination", "hit")),
                "triggers", List.of(Map.of("type", "manual"))));
        try (AgentProcess a = AgentProcess.start("share-a", workflow.url(), settings("share-a", environment, "2"));
             AgentProcess b = AgentProcess.start("share-b", workflow.url(), settings("share-b", environment, "2"))) {

            JsonPath execution = awaitEnd(execute(workflowId, Map.of("items", items)));

            assertThat(execution.getString("status")).as(execution.prettify()).isEqualTo("FINISHED");
            for (String item : items) {
                assertThat(hits.get(item)).as("calls for " + item).hasValue(1);
            }
            assertThat(a.succeeded() + b.succeeded()).isEqualTo(1 + items.size());
            assertThat(a.succeeded()).as("tasks run by agent a").isPositive();
            assertThat(b.succeeded()).as("tasks run by agent b").isPositive();
        }
    }

    @Test
    void aKilledAgentsTaskIsRunAgainByAnotherAfterItsLeaseExpires() {
        String environment = "crash-" + UUID.randomUUID();
        String victim = "crash-c-" + UUID.randomUUID().toString().substring(0, 8);
        String workflowId = create(Map.of("name", "crash " + environment, "start", "nap", "exitOnError", true,
                "actions", List.of(Map.of("id", "nap", "app", app, "action", "sleep", "environment", environment,
                        "timeoutSeconds", 90, "parameters", Map.of("seconds", 25))),
                "triggers", List.of(Map.of("type", "manual"))));
        try (AgentProcess c = AgentProcess.start(victim, workflow.url(), settings(victim, environment, "1"))) {
            String executionId = execute(workflowId, Map.of());
            // The task counts as running from its claim, before its container exists: wait for the container.
            await().atMost(RUN_TIMEOUT).until(() -> c.running() == 1 && ExampleApp.leftBehindBy(engine, victim).size() == 1);
            // Killed mid-sleep, before the second agent starts: a slow start of d cannot let c finish the task.
            c.kill();
            assertThat(ExampleApp.leftBehindBy(engine, victim)).as("the killed agent's container").hasSize(1);
            try (AgentProcess d = AgentProcess.start("crash-d", workflow.url(), settings("crash-d", environment, "1"))) {
                JsonPath execution = awaitEnd(executionId);

                assertThat(execution.getString("status")).as(execution.prettify()).isEqualTo("FINISHED");
                assertThat(execution.getInt("results.find { it.actionId == 'nap' }.attempt")).isEqualTo(2);
                assertThat(execution.getInt("results.find { it.actionId == 'nap' }.output.slept")).isEqualTo(25);
                assertThat(d.succeeded()).isEqualTo(1);
            }
            try (AgentProcess restarted = AgentProcess.start(victim, workflow.url(), settings(victim, environment, "1"))) {
                assertThat(ExampleApp.leftBehindBy(engine, victim)).as("removed at the restart").isEmpty();
            }
        }
    }

    @Test
    void aStoppedAgentFinishesItsRunningTaskWithinItsGracePeriod() throws IOException {
        String environment = "grace-" + UUID.randomUUID();
        String workflowId = create(Map.of("name", "grace " + environment, "start", "pause", "exitOnError", true,
                "actions", List.of(Map.of("id", "pause", "app", "tools", "action", "delay", "environment", environment,
                        "parameters", Map.of("seconds", 4, "value", "done"))),
                "triggers", List.of(Map.of("type", "manual"))));
        AgentProcess e = AgentProcess.start("grace-e", workflow.url(), settings("grace-e", environment, "1"));
        try (e) {
            String executionId = execute(workflowId, Map.of());
            await().atMost(RUN_TIMEOUT).until(() -> e.running() == 1);
            e.stop();
            assertThat(e.exited(Duration.ofSeconds(30))).as("stopped within the grace period").isTrue();

            JsonPath execution = awaitEnd(executionId);

            assertThat(execution.getString("status")).as(execution.prettify()).isEqualTo("FINISHED");
            assertThat(execution.getInt("results.find { it.actionId == 'pause' }.attempt")).isEqualTo(1);
            assertThat(execution.getString("results.find { it.actionId == 'pause' }.output")).isEqualTo("done");
        }
        assertThat(e.log()).contains("Stopped claiming");
    }

    private static Map<String, String> settings(String name, String environment, String concurrency) {
        JsonPath account = workflow.createServiceAccount(name + "-" + UUID.randomUUID(), "worker");
        return Map.of("BULWARK_WORKER_ENVIRONMENT", environment, "BULWARK_WORKER_CONCURRENCY", concurrency,
                "BULWARK_WORKER_CLIENT_ID", account.getString("clientId"),
                "BULWARK_WORKER_CLIENT_SECRET", account.getString("clientSecret"),
                "BULWARK_WORKER_SHUTDOWN_GRACE", "20s",
                // The test server is on 127.0.0.1, which the egress policy refuses unless allow-listed.
                "BULWARK_EGRESS_ALLOW_CIDRS", "127.0.0.0/8");
    }

    private static String create(Map<String, Object> document) {
        return given().baseUri(workflow.url()).auth().oauth2(workflow.adminToken()).contentType(ContentType.JSON)
                .body(document).when().post("/api/v1/workflows").then().statusCode(201).extract().path("id");
    }

    private static String execute(String workflowId, Map<String, Object> argument) {
        return given().baseUri(workflow.url()).auth().oauth2(workflow.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("argument", argument)).when().post("/api/v1/workflows/" + workflowId + "/execute")
                .then().statusCode(202).extract().path("executionId");
    }

    /** Waits until the execution ends; returns it. */
    private static JsonPath awaitEnd(String executionId) {
        String admin = workflow.adminToken();
        return await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(
                () -> given().baseUri(workflow.url()).auth().oauth2(admin)
                        .when().get("/api/v1/executions/" + executionId).then().statusCode(200).extract().jsonPath(),
                execution -> List.of("FINISHED", "FAILED", "ABORTED").contains(execution.getString("status")));
    }
}
