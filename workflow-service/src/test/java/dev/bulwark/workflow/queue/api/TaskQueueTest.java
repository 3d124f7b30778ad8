package dev.bulwark.workflow.queue.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bulwark.workflow.testing.TestAgent;
import dev.bulwark.workflow.testing.TestAgent.Claimed;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TaskQueueTest {

    /** Starts the fan-out workflow over {@code n} items and runs its first action, leaving n queued tasks. */
    private static UUID fanOut(TestOrg org, TestAgent agent, int n) {
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("fan-out.json")),
                Map.of("items", IntStream.range(0, n).boxed().toList()));
        List<Claimed> first = agent.claim(1, 5);
        assertThat(first).hasSize(1);
        assertThat(first.get(0).actionId()).isEqualTo("items");
        agent.run(first.get(0));
        return execution;
    }

    /**
     * A workflow of one action of a container app with a network, the one kind of task handed an execution token,
     * run once per target of the execution's argument.
     */
    private static UUID scanEachTarget(TestOrg org) {
        org.admin().body(Map.of("name", "scanner", "version", "1.0.0", "image", "bulwark-example/scanner:1",
                        "network", true, "actions", List.of(Map.of("name", "scan",
                                "parameters", List.of(Map.of("name", "target", "type", "string"))))))
                .when().post("/api/v1/apps").then().statusCode(201);
        return TestWorkflows.save(org, """
                {"name": "Scan each", "start": "scan", "actions": [{"id": "scan", "app": "scanner", "version": "1.0.0",
                  "action": "scan", "parameters": {"target": "$exec.targets.#"}}]}""");
    }

    @Test
    void concurrentClaimersNeverGetTheSameTask() throws Exception {
        TestOrg org = TestOrg.create();
        TestAgent agent = new TestAgent(org);
        UUID execution = fanOut(org, agent, 60);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Claimed>>> claimers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            claimers.add(pool.submit(() -> {
                List<Claimed> mine = new ArrayList<>();
                List<Claimed> batch;
                do {
                    batch = agent.claim(3, 0);
                    mine.addAll(batch);
                } while (!batch.isEmpty());
                return mine;
            }));
        }
        List<Claimed> all = new ArrayList<>();
        for (Future<List<Claimed>> claimer : claimers) {
            all.addAll(claimer.get());
        }
        pool.shutdown();

        assertThat(all).hasSize(60);
        assertThat(all.stream().map(Claimed::taskId).distinct().count()).isEqualTo(60);
        assertThat(all).allMatch(t -> t.attempt() == 1 && t.executionId().equals(execution));

        Collections.shuffle(all);
        all.forEach(agent::run);
        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", equalTo("FINISHED"))
                .body("results.find { it.actionId == 'each' }.output",
                        equalTo(IntStream.range(0, 60).boxed().toList()));
    }

    @Test
    void anotherOrganisationsWorkerSeesNothing() {
        TestOrg org = TestOrg.create();
        TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")), Map.of("x", 1));
        assertThat(new TestAgent(TestOrg.create()).claim(10, 0)).isEmpty();
        assertThat(new TestAgent(org).claim("other-environment", 10, 0)).isEmpty();
        assertThat(new TestAgent(org).claim(10, 0)).hasSize(1);
    }

    @Test
    void aLongPollReturnsAsSoonAsATaskIsQueued() throws Exception {
        TestOrg org = TestOrg.create();
        TestAgent agent = new TestAgent(org);
        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("single.json"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        long start = System.nanoTime();
        Future<List<Claimed>> waiting = pool.submit(() -> agent.claim(1, 20));
        await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        TestWorkflows.execute(org, workflow, "late");
        List<Claimed> claimed = waiting.get();
        pool.shutdown();
        assertThat(claimed).hasSize(1);
        assertThat(claimed.get(0).parameters().get("value").asText()).isEqualTo("late");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void resultsAreIdempotentByTaskAndAttempt() {
        TestOrg org = TestOrg.create();
        TestAgent agent = new TestAgent(org);
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")), 42);
        Claimed task = agent.claim(1, 5).get(0);
        assertThat(task.parameters().get("value")).isEqualTo(IntNode.valueOf(42));
        // The claim shape the worker-agent is built against (README, "The queue protocol for worker agents");
        // image and credentials only when set, the execution token only for a container app with a network.
        List<String> fields = new ArrayList<>();
        task.raw().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("taskId", "attempt", "executionId", "orgId", "actionId", "app",
                "action", "network", "parameters", "timeoutSeconds", "leaseExpiresAt", "traceparent");
        assertThat(task.raw().get("orgId").asText()).isEqualTo(org.id.toString());

        assertThat(agent.report(task, "SUCCESS", IntNode.valueOf(1), null)).isEqualTo(204);
        assertThat(agent.report(task, "SUCCESS", IntNode.valueOf(1), null)).isEqualTo(204);
        Claimed stale = new Claimed(task.taskId(), 7, task.executionId(), task.actionId(), task.app(), task.action(),
                null, task.parameters(), null, null, null);
        assertThat(agent.report(stale, "SUCCESS", TextNode.valueOf("other"), null)).isEqualTo(409);

        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", equalTo("FINISHED")).body("results[0].output", equalTo(1));
        org.worker().body(Map.of("attempt", 1)).when().post("/api/v1/tasks/{id}/heartbeat", task.taskId())
                .then().statusCode(409);
        org.worker().body(Map.of("attempt", 1)).when().post("/api/v1/tasks/{id}/heartbeat", UUID.randomUUID())
                .then().statusCode(404);
    }

    @Test
    void anExpiredLeaseIsRequeuedAndAHeartbeatKeepsIt() {
        TestOrg org = TestOrg.create();
        TestAgent agent = new TestAgent(org);
        TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")), "a");
        TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")), "b");
        List<Claimed> claimed = agent.claim(2, 5);
        assertThat(claimed).hasSize(2);
        Claimed kept = claimed.get(0);
        Claimed lost = claimed.get(1);

        // The agent keeps renewing one lease and forgets the other: only the forgotten task comes back.
        List<Claimed> again = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            org.worker().body(Map.of("attempt", kept.attempt())).when()
                    .post("/api/v1/tasks/{id}/heartbeat", kept.taskId()).then().statusCode(200)
                    .body("leaseExpiresAt", startsWith("20"));
            again.addAll(agent.claim(2, 0));
            return !again.isEmpty();
        });
        assertThat(again).hasSize(1);
        assertThat(again.get(0).taskId()).isEqualTo(lost.taskId());
        assertThat(again.get(0).attempt()).isEqualTo(2);

        // The first attempt may no longer report; the second one can.
        assertThat(agent.report(lost, "SUCCESS", TextNode.valueOf("late"), null)).isEqualTo(409);
        agent.run(again.get(0));
        agent.run(kept);
    }

    @Test
    void aTaskThatLosesEveryLeaseFailsItsAction() {
        TestOrg org = TestOrg.create();
        TestAgent agent = new TestAgent(org);
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")), "x");
        List<Integer> attempts = new ArrayList<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            agent.claim(1, 0).forEach(t -> attempts.add(t.attempt()));
            return !"EXECUTING".equals(org.reader().when().get("/api/v1/executions/{id}", execution)
                    .then().extract().path("status"));
        });
        assertThat(attempts).containsExactly(1, 2, 3);
        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", equalTo("FINISHED"))
                .body("results[0].status", equalTo("FAILURE"))
                .body("results[0].attempt", equalTo(3))
                .body("results[0].error", startsWith("no agent reported a result"));
    }

    @Test
    void anExecutionTokenReadsItsOwnExecutionWhileItRuns() {
        TestOrg org = TestOrg.create();
        TestAgent agent = new TestAgent(org);
        UUID scan = scanEachTarget(org);
        UUID execution = TestWorkflows.execute(org, scan, Map.of("targets", List.of("t")));
        UUID other = TestWorkflows.execute(org, scan, Map.of("targets", List.of("u")));
        Claimed task = agent.claim(2, 5).stream().filter(t -> t.executionId().equals(execution)).findFirst().orElseThrow();

        RestAssured.given().auth().oauth2(task.executionToken()).when().get("/api/v1/executions/{id}", execution)
                .then().statusCode(200).body("status", equalTo("EXECUTING"));
        RestAssured.given().auth().oauth2(task.executionToken()).when().get("/api/v1/executions/{id}", other)
                .then().statusCode(403);
        RestAssured.given().auth().oauth2(task.executionToken()).when().get("/api/v1/workflows")
                .then().statusCode(403);
        agent.run(task);
        RestAssured.given().auth().oauth2(task.executionToken()).when().get("/api/v1/executions/{id}", execution)
                .then().statusCode(403);
    }

    @Test
    void theTasksOfAnExecutionShareOneExecutionTokenAndOtherExecutionsGetTheirOwn() {
        TestOrg org = TestOrg.create();
        TestAgent agent = new TestAgent(org);
        UUID scan = scanEachTarget(org);
        UUID execution = TestWorkflows.execute(org, scan, Map.of("targets", List.of("a", "b", "c")));
        List<Claimed> tasks = agent.claim(10, 5);
        UUID other = TestWorkflows.execute(org, scan, Map.of("targets", List.of("o")));
        Claimed otherTask = agent.claim(1, 5).get(0);

        assertThat(tasks).hasSize(3).allMatch(t -> t.executionId().equals(execution));
        assertThat(tasks.stream().map(Claimed::executionToken).distinct()).hasSize(1);
        String token = tasks.get(0).executionToken();
        assertThat(otherTask.executionId()).isEqualTo(other);
        assertThat(otherTask.executionToken()).isNotEqualTo(token);
        RestAssured.given().auth().oauth2(otherTask.executionToken()).when().get("/api/v1/executions/{id}", execution)
                .then().statusCode(403);
        tasks.forEach(agent::run);
        RestAssured.given().auth().oauth2(token).when().get("/api/v1/executions/{id}", execution)
                .then().statusCode(403);
    }
    @Test
    void severalResultsInOneCallAreRecordedEachWithItsOwnOutcome() {
        TestOrg org = TestOrg.create();
        TestAgent agent = new TestAgent(org);
        UUID execution = fanOut(org, agent, 3);
        List<Claimed> tasks = agent.claim(3, 5);
        assertThat(tasks).hasSize(3);
        TestOrg other = TestOrg.create();
        TestWorkflows.execute(other, TestWorkflows.save(other, TestWorkflows.resource("single.json")), "theirs");
        Claimed theirs = new TestAgent(other).claim(1, 5).get(0);
        UUID unknown = UUID.randomUUID();

        org.worker().body(Map.of("results", List.of(
                        result(tasks.get(0).taskId(), 1, tasks.get(0).parameters().get("value")),
                        result(tasks.get(1).taskId(), 1, tasks.get(1).parameters().get("value")),
                        result(tasks.get(0).taskId(), 1, tasks.get(0).parameters().get("value")),
                        result(tasks.get(2).taskId(), 7, "stale"),
                        result(unknown, 1, "nobody's"),
                        result(theirs.taskId(), 1, "not ours")))).when().post("/api/v1/tasks/results")
                .then().statusCode(200)
                .body("results.taskId", equalTo(List.of(tasks.get(0).taskId().toString(),
                        tasks.get(1).taskId().toString(), tasks.get(0).taskId().toString(),
                        tasks.get(2).taskId().toString(), unknown.toString(), theirs.taskId().toString())))
                .body("results.status", equalTo(List.of("RECORDED", "RECORDED", "RECORDED", "CONFLICT", "NOT_FOUND",
                        "NOT_FOUND")))
                .body("results[3].detail", startsWith("Task " + tasks.get(2).taskId() + " attempt 7 is no longer current"));
        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", equalTo("EXECUTING"));
        other.reader().when().get("/api/v1/executions").then().statusCode(200)
                .body("items[0].status", equalTo("EXECUTING"));

        org.worker().body(Map.of("results", List.of(result(tasks.get(2).taskId(), 1,
                        tasks.get(2).parameters().get("value"))))).when().post("/api/v1/tasks/results")
                .then().statusCode(200).body("results[0].status", equalTo("RECORDED"));
        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", equalTo("FINISHED"))
                .body("results.find { it.actionId == 'each' }.output", equalTo(List.of(0, 1, 2)));

        org.worker().body(Map.of("results", List.of())).when().post("/api/v1/tasks/results").then().statusCode(400);
        org.worker().body(Map.of("results", Collections.nCopies(101, result(unknown, 1, "x")))).when()
                .post("/api/v1/tasks/results").then().statusCode(400);
        org.reader().body(Map.of("results", List.of(result(unknown, 1, "x")))).when().post("/api/v1/tasks/results")
                .then().statusCode(403);
    }

    private static Map<String, Object> result(UUID taskId, int attempt, Object output) {
        return Map.of("taskId", taskId, "result", Map.of("attempt", attempt, "status", "SUCCESS", "output", output));
    }
}
