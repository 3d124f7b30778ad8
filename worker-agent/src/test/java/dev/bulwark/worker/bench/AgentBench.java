package dev.bulwark.worker.bench;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.common.testing.WorkflowServiceProcess;
import dev.bulwark.worker.container.config.DockerEngine;
import dev.bulwark.worker.support.AgentProcess;
import dev.bulwark.worker.support.ExampleApp;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not in the default run ({@code ./mvnw -B verify -pl worker-agent -Pbench}): tasks per second through one
 * packaged agent for no-op in-process tasks ({@code tools.echo}) and for container tasks (the example app), with the
 * agent's start-to-result time per container against a raw {@code docker run --rm} of the same image as baseline.
 */
class AgentBench {

    private static final int NOOP_TASKS = 300;
    private static final int CONTAINER_TASKS = 20;

    @Test
    void throughputOfOneAgent() throws Exception {
        DockerEngine engine = ExampleApp.requireEngine();
        String image = ExampleApp.build(engine);
        try (WorkflowServiceProcess workflow = WorkflowServiceProcess.start()) {
            String app = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            String admin = workflow.adminToken();
            given().baseUri(workflow.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("name", app, "version", "1.0.0", "image", image, "actions", List.of(
                            Map.of("name", "hello", "parameters", List.of(Map.of("name", "name", "type", "string",
                                    "required", true))))))
                    .when().post("/api/v1/apps").then().statusCode(201);
            String environment = "bench-" + UUID.randomUUID();
            JsonPath account = workflow.createServiceAccount("bench-" + UUID.randomUUID(), "worker");
            String noop = fanOut(workflow, environment, "tools", "echo", "value");
            String containers = fanOut(workflow, environment, app, "hello", "name");
            int concurrency = 2 * Runtime.getRuntime().availableProcessors();
            try (AgentProcess agent = AgentProcess.start("bench", workflow.url(), Map.of(
                    "BULWARK_WORKER_ENVIRONMENT", environment,
                    "BULWARK_WORKER_CONCURRENCY", Integer.toString(concurrency),
                    "BULWARK_WORKER_CLIENT_ID", account.getString("clientId"),
                    "BULWARK_WORKER_CLIENT_SECRET", account.getString("clientSecret")))) {
                run(workflow, noop, 20);
                run(workflow, containers, 2);
                double claimsBefore = agent.metric("bulwark_worker_claim_latency_seconds_sum{result=\"tasks\"}");
                double claimCountBefore = agent.metric("bulwark_worker_claim_latency_seconds_count{result=\"tasks\"}");
                double resultsBefore = agent.metric("bulwark_worker_result_latency_seconds_sum");
                double echoBefore = agent.metric("bulwark_worker_task_duration_seconds_sum{app=\"tools\"}");
                double noopSeconds = run(workflow, noop, NOOP_TASKS);
                double claims = agent.metric("bulwark_worker_claim_latency_seconds_count{result=\"tasks\"}") - claimCountBefore;
                double perClaim = (agent.metric("bulwark_worker_claim_latency_seconds_sum{result=\"tasks\"}")
                        - claimsBefore) / claims;
                double perResult = (agent.metric("bulwark_worker_result_latency_seconds_sum") - resultsBefore) / NOOP_TASKS;
                double perEcho = (agent.metric("bulwark_worker_task_duration_seconds_sum{app=\"tools\"}") - echoBefore)
                        / NOOP_TASKS;
                double sumBefore = agent.metric("bulwark_worker_task_duration_seconds_sum{app=\"" + app + "\"}");
                double containerSeconds = run(workflow, containers, CONTAINER_TASKS);
                double perContainer = (agent.metric("bulwark_worker_task_duration_seconds_sum{app=\"" + app + "\"}")
                        - sumBefore) / CONTAINER_TASKS;
                double dockerRun = dockerRuns(image, 10, 1) / 10;
                double dockerRunsParallel = dockerRuns(image, CONTAINER_TASKS, concurrency);
                System.out.printf("%n=== worker-agent benchmark: %d cores, agent concurrency %d, Docker %s ===%n",
                        Runtime.getRuntime().availableProcessors(), concurrency, engine.probe().detail());
                System.out.printf("no-op in-process tasks (tools.echo, %d in one execution): %.1f tasks/s (%.2f s)%n",
                        NOOP_TASKS, NOOP_TASKS / noopSeconds, noopSeconds);
                System.out.printf("  of which per task: run %.1f ms, result accepted after %.1f ms; %.0f claims returning"
                        + " tasks, %.1f ms each, %.1f tasks per claim%n", perEcho * 1000, perResult * 1000, claims,
                        perClaim * 1000, NOOP_TASKS / claims);
                System.out.printf("container tasks (example app, %d in one execution): %.2f tasks/s (%.2f s)%n",
                        CONTAINER_TASKS, CONTAINER_TASKS / containerSeconds, containerSeconds);
                System.out.printf("  baseline: %d raw 'docker run --rm' of the image, %d at a time: %.2f runs/s; agent/baseline"
                        + " throughput ratio %.2f%n", CONTAINER_TASKS, concurrency, CONTAINER_TASKS / dockerRunsParallel,
                        dockerRunsParallel / containerSeconds);
                System.out.printf("start-to-result per container in the agent (%d at a time): %.0f ms; one raw"
                        + " 'docker run --rm' at a time: %.0f ms; ratio %.2f%n%n", concurrency, perContainer * 1000,
                        dockerRun * 1000, perContainer / dockerRun);
                System.out.printf("BENCH|agent|noop-tasks|value=%.1f|unit=tasks/s%nBENCH|agent|container-tasks|value=%.2f"
                        + "|unit=tasks/s|raw=docker-run|ratio=%.2f%nBENCH|agent|docker-run|value=%.2f|unit=runs/s%n",
                        NOOP_TASKS / noopSeconds, CONTAINER_TASKS / containerSeconds, dockerRunsParallel / containerSeconds,
                        CONTAINER_TASKS / dockerRunsParallel);
            }
        }
        assertThat(ExampleApp.leftBehind(engine)).isEmpty();
        engine.close();
    }

    /** A workflow whose one action runs once per item of {@code $exec.items}. */
    private static String fanOut(WorkflowServiceProcess workflow, String environment, String app, String action,
                                 String parameter) {
        return given().baseUri(workflow.url()).auth().oauth2(workflow.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", "bench " + app + " " + UUID.randomUUID(), "start", "each", "exitOnError", true,
                        "actions", List.of(Map.of("id", "each", "app", app, "action", action,
                                "environment", environment, "parameters", Map.of(parameter, "$exec.items.#"))),
                        "triggers", List.of(Map.of("type", "manual"))))
                .when().post("/api/v1/workflows").then().statusCode(201).extract().path("id");
    }

    /** Seconds from the execute call to FINISHED for {@code count} items. */
    private static double run(WorkflowServiceProcess workflow, String workflowId, int count) {
        String admin = workflow.adminToken();
        List<String> items = IntStream.range(0, count).mapToObj(i -> "item-" + i).toList();
        long start = System.nanoTime();
        String executionId = given().baseUri(workflow.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("argument", Map.of("items", items)))
                .when().post("/api/v1/workflows/" + workflowId + "/execute").then().statusCode(202)
                .extract().path("executionId");
        String status = await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50)).until(
                () -> given().baseUri(workflow.url()).auth().oauth2(admin).when()
                        .get("/api/v1/executions/" + executionId).then().extract().path("status"),
                s -> List.of("FINISHED", "FAILED", "ABORTED").contains(s));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(status).isEqualTo("FINISHED");
        return seconds;
    }

    /** Seconds to run {@code docker run --rm} of the image {@code runs} times, {@code parallel} at a time. */
    private static double dockerRuns(String image, int runs, int parallel) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        long start = System.nanoTime();
        List<Future<Integer>> exits = IntStream.range(0, runs).mapToObj(i -> pool.submit(() -> {
            Process run = new ProcessBuilder("docker", "run", "--rm", "--network", "none", "--read-only",
                    "--user", "65534:65534", "--cap-drop", "ALL", "--memory", "256m", "-e", "BULWARK_ACTION=hello",
                    "-e", "BULWARK_PARAMETERS={\"name\":\"item-" + i + "\"}", image).redirectErrorStream(true).start();
            run.getInputStream().readAllBytes();
            return run.waitFor();
        })).toList();
        for (Future<Integer> exit : exits) {
            try {
                assertThat(exit.get()).isZero();
            } catch (ExecutionException e) {
                throw new IllegalStateException("docker run failed", e.getCause());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return seconds;
    }
}
