package dev.bulwark.orchestrator.feedback.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.SseClient;
import dev.bulwark.orchestrator.support.TargetApp;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FeedbackTest {

    @Inject
    RedisDataSource redis;

    private static String feedbackUrl(String run, String tester) {
        return "http://localhost:" + RestAssured.port + "/api/v1/test-runs/" + run + "/feedback/" + tester;
    }

    @Test
    void anSseClientThatDisconnectsMidRunResumesWithLastEventIdMissingNothing() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (TargetApp target = TargetApp.clean()) {
                target.hold();
                String token = Runs.userToken();
                String run = Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile", "/page/1", "/page/2"));

                List<SseClient.Event> first = new ArrayList<>();
                try (SseClient sse = SseClient.connect(feedbackUrl(run, "app"), token, null)) {
                    assertThat(sse.status()).isEqualTo(200);
                    while (first.size() < 2) {
                        first.add(sse.next());
                    }
                }
                String lastSeen = first.get(first.size() - 1).id();

                target.release(25);
                await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(token)
                        .queryParam("after", lastSeen).get("/api/v1/test-runs/" + run + "/feedback/app/poll")
                        .then().extract().jsonPath().getList("events").size() >= 2);
                assertThat(Runs.get(run).path("status").asText()).as("still held at the gate").isEqualTo("RUNNING");

                List<SseClient.Event> second = new ArrayList<>();
                try (SseClient sse = SseClient.connect(feedbackUrl(run, "app"), token, lastSeen)) {
                    second.add(sse.next());
                    target.open();
                    second.addAll(sse.untilEnd());
                }
                assertThat(second.get(second.size() - 1).name()).isEqualTo("end");
                assertThat(Runs.awaitEnded(run).path("status").asText()).isEqualTo("FINISHED");

                List<String> received = new ArrayList<>();
                first.forEach(e -> received.add(e.id()));
                second.stream().filter(e -> !e.name().equals("end")).forEach(e -> received.add(e.id()));
                List<String> all = Runs.pollAll(run, "app", token).stream().map(e -> e.path("id").asText()).toList();
                assertThat(received).as("every event exactly once, in order").containsExactlyElementsOf(all);
                SseClient.Event finished = second.get(second.size() - 2);
                assertThat(finished.name()).isEqualTo("finished");
                assertThat(Runs.read(finished.data()).path("data").path("testerDone").asBoolean()).isTrue();
            }
        });
    }

    @Test
    void aLongPollClientStartingAfterTheRunFinishedStillGetsEveryEvent() throws Exception {
        try (TargetApp target = TargetApp.clean()) {
            String run = Runs.start(Jobs.app(target.port(), "/profile", "/page/1"));
            Runs.awaitEnded(run);

            List<JsonNode> events = Runs.pollAll(run, "app", TestTokens.withRoles(Roles.READER));
            List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
            assertThat(types.get(0)).isEqualTo("progress");
            assertThat(types).contains("pctComplete").endsWith("finished");
            assertThat(events).allSatisfy(e -> {
                assertThat(e.path("run").asText()).isEqualTo(run);
                assertThat(e.path("tester").asText()).isEqualTo("app");
                assertThat(e.path("session").asText()).isEqualTo("lowPrivUser");
            });
            assertThat(events.stream().filter(e -> e.path("type").asText().equals("pctComplete"))
                    .map(e -> e.path("data").path("pctComplete").asInt())).containsExactly(50, 100);

            List<SseClient.Event> replay;
            try (SseClient sse = SseClient.connect(feedbackUrl(run, "app"), Runs.userToken(), null)) {
                replay = assertTimeoutPreemptively(Duration.ofSeconds(30), sse::untilEnd);
            }
            assertThat(replay.stream().filter(e -> !e.name().equals("end")).map(SseClient.Event::id))
                    .containsExactlyElementsOf(events.stream().map(e -> e.path("id").asText()).toList());
            assertThat(redis.key().ttl("bulwark:run:" + run + ":tester:app"))
                    .as("the stream expires after the configured retention (PT1H)").isBetween(3000L, 3600L);
        }
    }

    @Test
    void aLongPollWaitsForTheNextEventAndReturnsItAtOnce() {
        try (TargetApp target = TargetApp.clean()) {
            target.hold();
            String token = Runs.userToken();
            String run = Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile"));
            await().atMost(Duration.ofSeconds(30)).until(() -> target.requests() >= 1);
            List<JsonNode> sofar = new ArrayList<>();
            JsonNode batch = Runs.read(given().auth().oauth2(token).get("/api/v1/test-runs/" + run + "/feedback/app/poll")
                    .then().statusCode(200).extract().asString());
            batch.path("events").forEach(sofar::add);
            String cursor = batch.path("cursor").asText();

            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(target::open);
            long started = System.nanoTime();
            JsonNode next = Runs.read(given().auth().oauth2(token).queryParam("after", cursor).queryParam("wait", 15)
                    .get("/api/v1/test-runs/" + run + "/feedback/app/poll").then().statusCode(200).extract()
                    .asString());
            assertThat(next.path("events").size()).isPositive();
            assertThat(next.path("events").get(0).path("id").asText()).isNotIn(sofar.stream()
                    .map(e -> e.path("id").asText()).toList());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the gate, not for the timeout")
                    .isBetween(Duration.ofMillis(800), Duration.ofSeconds(14));
            Runs.awaitEnded(run);
        }
    }

    @Test
    void twoConcurrentRunsDoNotMixEvents() {
        try (TargetApp first = TargetApp.clean(); TargetApp second = TargetApp.planted()) {
            String runA = Runs.start(Jobs.app(first.port(), "/profile", "/page/1"));
            String runB = Runs.start(Jobs.app(second.port(), "/profile", "/page/1"));
            Runs.awaitEnded(runA);
            Runs.awaitEnded(runB);

            List<JsonNode> eventsA = Runs.pollAll(runA, "app", Runs.userToken());
            List<JsonNode> eventsB = Runs.pollAll(runB, "app", Runs.userToken());
            assertThat(eventsA).allSatisfy(e -> assertThat(e.path("run").asText()).isEqualTo(runA));
            assertThat(eventsB).allSatisfy(e -> assertThat(e.path("run").asText()).isEqualTo(runB));
            assertThat(eventsA.toString()).contains(":" + first.port()).doesNotContain(":" + second.port());
            assertThat(eventsB.toString()).contains(":" + second.port()).doesNotContain(":" + first.port());
            assertThat(eventsA.stream().filter(e -> e.path("type").asText().equals("findingCount"))).isEmpty();
            assertThat(eventsB.stream().filter(e -> e.path("type").asText().equals("findingCount"))).isNotEmpty();
            Set<String> ids = new HashSet<>();
            eventsA.forEach(e -> ids.add(runA + e.path("id").asText()));
            assertThat(ids).hasSize(eventsA.size());
        }
    }

    @Test
    void aSessionThatRunsOutOfTimeIsStoppedAndFailed() {
        try (TargetApp target = TargetApp.clean()) {
            target.hold();
            String run = given().auth().oauth2(Runs.userToken()).contentType("application/json")
                    .queryParam("timeout", "PT1S").body(Jobs.appWithoutSignIn(target.port(), "/profile"))
                    .post("/api/v1/test-runs").then().statusCode(202).extract().path("id");
            JsonNode ended = Runs.awaitEnded(run);

            assertThat(ended.path("status").asText()).isEqualTo("FAILED");
            JsonNode session = ended.path("testers").get(0).path("sessions").get(0);
            assertThat(session.path("status").asText()).isEqualTo("FAILED");
            assertThat(session.path("message").asText()).isEqualTo("timed out after PT1S");
            given().auth().oauth2(Runs.userToken()).contentType("application/json").queryParam("timeout", "PT2H")
                    .body(Jobs.appWithoutSignIn(target.port(), "/profile")).post("/api/v1/test-runs")
                    .then().statusCode(400).body("detail", equalTo("timeout must be positive and at most PT1M"));
        }
    }

    @Test
    void cancelStopsTheTesters() {
        try (TargetApp target = TargetApp.clean()) {
            target.hold();
            String run = Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile", "/page/1", "/page/2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> target.requests() >= 1);

            given().auth().oauth2(Runs.userToken()).delete("/api/v1/test-runs/" + run)
                    .then().statusCode(202);
            JsonNode ended = Runs.awaitEnded(run);
            assertThat(ended.path("status").asText()).isEqualTo("CANCELLED");
            assertThat(ended.path("testers").get(0).path("sessions").get(0).path("status").asText())
                    .isEqualTo("CANCELLED");

            int requestsAtCancel = target.requests();
            target.open();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> target.requests() == requestsAtCancel);
            List<JsonNode> events = Runs.pollAll(run, "app", Runs.userToken());
            JsonNode last = events.get(events.size() - 1);
            assertThat(last.path("type").asText()).isEqualTo("failed");
            assertThat(last.path("data").path("reason").asText()).isEqualTo("cancelled");
            assertThat(last.path("data").path("runDone").asBoolean()).isTrue();

            given().auth().oauth2(Runs.userToken()).delete("/api/v1/test-runs/" + run).then().statusCode(204);
            given().auth().oauth2(Runs.userToken()).get("/api/v1/test-runs/" + run).then().statusCode(404);
        }
    }
}
