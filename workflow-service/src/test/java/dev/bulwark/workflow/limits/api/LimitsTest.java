package dev.bulwark.workflow.limits.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.workflow.queue.domain.Task;
import dev.bulwark.workflow.testing.TestAgent;
import dev.bulwark.workflow.testing.TestAgent.Claimed;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's limits, each gone over for real (the %test profile sets small values: 100 loop items, 150 tasks per
 * execution, 20 executions per minute, 3 schedules per organisation at least 2 s apart, 2 long polls per caller).
 * Another organisation is never affected by one organisation's quota.
 */
@QuarkusTest
class LimitsTest {

    private static final String LOOP_OVER_ARGUMENT = """
            {"name": "Loop over the argument", "start": "each",
             "actions": [{"id": "each", "app": "tools", "action": "echo", "parameters": {"value": "$exec.items.#"}}]}""";

    private static final String TWO_LOOPS = """
            {"name": "Two loops", "start": "first",
             "actions": [{"id": "first", "app": "tools", "action": "echo", "parameters": {"value": "$exec.items.#"}},
                         {"id": "second", "app": "tools", "action": "echo", "parameters": {"value": "$exec.items.#"}}],
             "branches": [{"source": "first", "destination": "second"}]}""";

    @Test
    void aLoopOverTheCapIsRefusedAtStartAndNothingIsCreated() {
        TestOrg org = TestOrg.create();
        UUID workflow = TestWorkflows.save(org, LOOP_OVER_ARGUMENT);
        List<Integer> items = IntStream.range(0, 20_000).boxed().toList();

        org.user().body(Map.of("argument", Map.of("items", items)))
                .when().post("/api/v1/workflows/{id}/execute", workflow)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://bulwark.dev/problems/limit-exceeded"))
                .body("detail", containsString("20000 items, more than 100 (bulwark.workflow.limits.max-loop-items)"));

        org.reader().queryParam("workflowId", workflow).when().get("/api/v1/executions")
                .then().statusCode(200).body("total", equalTo(0));
        assertThat(QuarkusTransaction.requiringNew().call(() -> Task.count("orgId", org.id))).isZero();

        UUID within = TestWorkflows.execute(org, workflow, Map.of("items", List.of(1, 2, 3)));
        new TestAgent(org).drive(within);
        org.reader().when().get("/api/v1/executions/{id}", within).then().body("status", equalTo("FINISHED"))
                .body("results[0].output", equalTo(List.of(1, 2, 3)));
    }

    @Test
    void aLoopOverTheCapLaterInTheRunFailsItsActionNamingTheLimit() {
        TestOrg org = TestOrg.create();
        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("fan-out.json"));
        UUID execution = TestWorkflows.execute(org, workflow,
                Map.of("items", IntStream.range(0, 101).boxed().toList()));
        new TestAgent(org).drive(execution);

        org.reader().when().get("/api/v1/executions/{id}", execution).then()
                .body("results.find { it.actionId == 'each' }.status", equalTo("FAILURE"))
                .body("results.find { it.actionId == 'each' }.error",
                        containsString("loops over 101 items, more than 100 (bulwark.workflow.limits.max-loop-items)"));
    }

    @Test
    void anExecutionCreatesNoMoreTasksThanItsCap() {
        TestOrg org = TestOrg.create();
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, TWO_LOOPS),
                Map.of("items", IntStream.range(0, 80).boxed().toList()));
        new TestAgent(org).drive(execution);

        org.reader().when().get("/api/v1/executions/{id}", execution).then()
                .body("results.find { it.actionId == 'first' }.status", equalTo("SUCCESS"))
                .body("results.find { it.actionId == 'second' }.status", equalTo("FAILURE"))
                .body("results.find { it.actionId == 'second' }.error", containsString(
                        "would bring the execution to 160 tasks, more than 150 "
                                + "(bulwark.workflow.limits.max-tasks-per-execution)"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> Task.count("executionId", execution))).isEqualTo(80);
    }

    @Test
    void anOutputOverTheSizeLimitFailsItsAction() {
        TestOrg org = TestOrg.create();
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")),
                "big");
        TestAgent agent = new TestAgent(org);
        Claimed task = await().atMost(Duration.ofSeconds(30)).until(() -> agent.claim(1, 1), t -> !t.isEmpty()).get(0);

        assertThat(agent.report(task, "SUCCESS", TextNode.valueOf("x".repeat(1_100_000)), null)).isEqualTo(204);

        org.reader().when().get("/api/v1/executions/{id}", execution).then()
                .body("results[0].status", equalTo("FAILURE"))
                .body("results[0].output", equalTo(null))
                .body("results[0].error", containsString(
                        "the output is 1100002 bytes of JSON, more than 1048576 "
                                + "(bulwark.workflow.execution.max-output-bytes)"));
    }

    @Test
    void aPerSecondScheduleIsRefusedNamingTheMinimumInterval() {
        TestOrg org = TestOrg.create();
        org.user().body(scheduled("Every second", "* * * * * ?")).when().post("/api/v1/workflows")
                .then().statusCode(400)
                .body("errors.field", hasItem("triggers[0].cron"))
                .body("errors.message", hasItem(containsString(
                        "fires 1 s apart; schedules may fire at most every 2 s "
                                + "(bulwark.workflow.limits.min-schedule-interval)")));
        // Two ticks a second apart each minute are refused too, though a minute apart on average.
        org.user().body(scheduled("Twice a minute", "0,1 * * * * ?")).when().post("/api/v1/workflows")
                .then().statusCode(400);
        UUID atTheMinimum = TestWorkflows.save(org, scheduled("Every two seconds", "0/2 * * * * ?"));
        org.user().when().delete("/api/v1/workflows/{id}", atTheMinimum).then().statusCode(204);
    }

    @Test
    void schedulesOverTheOrganisationsQuotaAreRefusedAndOtherOrganisationsAreNotAffected() {
        TestOrg org = TestOrg.create();
        String twoHourly = scheduled("Two hourly", "0 0 * * * ?", "0 30 * * * ?");
        UUID first = TestWorkflows.save(org, twoHourly);
        org.user().body(twoHourly).when().post("/api/v1/workflows")
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://bulwark.dev/problems/limit-exceeded"))
                .body("detail", containsString("4 schedules, more than its quota of 3 "
                        + "(bulwark.workflow.limits.max-schedules-per-org)"));
        // A new version replaces the workflow's own schedules rather than adding to them.
        org.user().body(twoHourly).when().put("/api/v1/workflows/{id}", first).then().statusCode(200);
        org.user().body(scheduled("One hourly", "0 15 * * * ?")).when().post("/api/v1/workflows")
                .then().statusCode(201);

        TestOrg other = TestOrg.create();
        TestWorkflows.save(other, twoHourly);
    }

    @Test
    void executionsOverTheOrganisationsRateAnswer429WithRetryAfterAndOtherOrganisationsAreNotAffected() {
        TestOrg org = TestOrg.create();
        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("single.json"));
        for (int i = 0; i < 20; i++) {
            TestWorkflows.execute(org, workflow, i);
        }
        Response refused = org.user().body(Map.of("argument", 21)).when()
                .post("/api/v1/workflows/{id}/execute", workflow);
        refused.then().statusCode(429).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://bulwark.dev/problems/limit-exceeded"))
                .body("detail", containsString("started 20 executions within the last minute, its quota "
                        + "(bulwark.workflow.limits.executions-per-minute)"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 60);
        org.reader().queryParam("workflowId", workflow).when().get("/api/v1/executions")
                .then().body("total", equalTo(20));

        TestOrg other = TestOrg.create();
        TestWorkflows.execute(other, TestWorkflows.save(other, TestWorkflows.resource("single.json")), "unaffected");
    }

    @Test
    void concurrentExecutesStartExactlyTheOrganisationsQuota() throws Exception {
        TestOrg org = TestOrg.create();
        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("single.json"));
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> answers = IntStream.range(0, 30).mapToObj(i -> callers.submit(() -> org.user()
                    .body(Map.of("argument", i)).when().post("/api/v1/workflows/{id}/execute", workflow)
                    .statusCode())).toList();
            int accepted = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get(120, TimeUnit.SECONDS);
                assertThat(status).isIn(202, 429);
                accepted += status == 202 ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(20);
        } finally {
            callers.shutdownNow();
        }
        org.reader().queryParam("workflowId", workflow).when().get("/api/v1/executions")
                .then().body("total", equalTo(20));
    }

    @Test
    void refusedStartsGiveTheirCountBack() {
        TestOrg org = TestOrg.create();
        UUID loop = TestWorkflows.save(org, LOOP_OVER_ARGUMENT);
        List<Integer> items = IntStream.range(0, 200).boxed().toList();
        for (int i = 0; i < 5; i++) {
            org.user().body(Map.of("argument", Map.of("items", items)))
                    .when().post("/api/v1/workflows/{id}/execute", loop).then().statusCode(400);
            org.user().body(Map.of("argument", i)).when().post("/api/v1/workflows/{id}/execute", UUID.randomUUID())
                    .then().statusCode(404);
        }
        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("single.json"));
        for (int i = 0; i < 20; i++) {
            TestWorkflows.execute(org, workflow, i);
        }
        org.user().body(Map.of("argument", 21)).when().post("/api/v1/workflows/{id}/execute", workflow)
                .then().statusCode(429);
    }

    @Test
    void longPollsOverTheCallersCapAnswer429AndOtherCallersAreNotAffected() throws Exception {
        TestOrg org = TestOrg.create();
        String caller = workerToken(org, "agent-" + UUID.randomUUID());
        ExecutorService pollers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> waiting = List.of(
                pollers.submit(() -> claim(caller, 30).statusCode()),
                pollers.submit(() -> claim(caller, 30).statusCode()));
        pollers.shutdown();

        await().atMost(Duration.ofSeconds(60)).until(() -> claim(caller, 1).statusCode() == 429);
        claim(caller, 1).then().statusCode(429).contentType(startsWith("application/problem+json"))
                .header("Retry-After", equalTo("5"))
                .body("detail", containsString("holds 2 long polls open, its limit "
                        + "(bulwark.workflow.limits.max-waits-per-caller)"));
        claim(caller, 0).then().statusCode(200);
        claim(workerToken(org, "another-agent"), 1).then().statusCode(200);

        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("single.json"));
        TestWorkflows.execute(org, workflow, "wake one");
        TestWorkflows.execute(org, workflow, "wake the other");
        for (Future<Integer> wait : waiting) {
            assertThat(wait.get(60, TimeUnit.SECONDS)).isEqualTo(200);
        }
        claim(caller, 1).then().statusCode(200);
    }

    @Test
    void bodiesOverAnEndpointsLimitAnswer413Problems() {
        TestOrg org = TestOrg.create();
        org.worker().body(Map.of("environment", "default", "padding", "x".repeat(70_000)))
                .when().post("/api/v1/queue/claim")
                .then().statusCode(413).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://bulwark.dev/problems/limit-exceeded"))
                .body("detail", containsString("than the 65536 bytes this endpoint takes "
                        + "(bulwark.workflow.limits.body.other)"));

        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("single.json"));
        org.user().body(Map.of("argument", "x".repeat(1_100_000))).when()
                .post("/api/v1/workflows/{id}/execute", workflow)
                .then().statusCode(413).body("detail", containsString("(bulwark.workflow.limits.body.execute)"));
        org.reader().queryParam("workflowId", workflow).when().get("/api/v1/executions")
                .then().body("total", equalTo(0));
    }

    @Test
    void chunkedBodiesOverAnEndpointsLimitAnswer413ProblemsAndChunkedBodiesUnderItAreRead() throws Exception {
        HttpResponse<String> over = chunked("x".repeat(70_000));
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(over.body()).contains("https://bulwark.dev/problems/limit-exceeded")
                .contains("than the 65536 bytes this endpoint takes (bulwark.workflow.limits.body.other)");

        HttpResponse<String> under = chunked("x".repeat(1_000));
        assertThat(under.statusCode()).isEqualTo(400);
        assertThat(under.body()).contains("grant_type must be one of");
    }

    /** A sign-in body sent without Content-Length (an unknown-length publisher makes the client chunk it). */
    private static HttpResponse<String> chunked(String padding) throws Exception {
        byte[] body = ("{\"padding\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String scheduled(String name, String... crons) {
        StringBuilder triggers = new StringBuilder();
        for (String cron : crons) {
            triggers.append(triggers.isEmpty() ? "" : ",").append("{\"type\":\"schedule\",\"cron\":\"").append(cron)
                    .append("\"}");
        }
        return """
                {"name": "%s", "start": "step",
                 "actions": [{"id": "step", "app": "tools", "action": "echo", "parameters": {"value": "tick"}}],
                 "triggers": [%s]}""".formatted(name, triggers);
    }

    private static String workerToken(TestOrg org, String subject) {
        return TestTokens.builder().subject(subject).org(org.id.toString()).roles(Roles.WORKER).build();
    }

    private static Response claim(String token, int waitSeconds) {
        RequestSpecification request = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("environment", "default", "max", 1, "waitSeconds", waitSeconds));
        return request.when().post("/api/v1/queue/claim");
    }
}
