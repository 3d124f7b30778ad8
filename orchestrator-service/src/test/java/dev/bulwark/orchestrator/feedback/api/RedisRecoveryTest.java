package dev.bulwark.orchestrator.feedback.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.OwnRedis;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.SseClient;
import dev.bulwark.orchestrator.support.TargetApp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away under a running run: against a Redis of the test's own ({@link OwnRedis}), stopped and restarted,
 * or with the service's subscription connection killed. The shared Redis is never touched.
 */
@QuarkusTest
@WithTestResource(OwnRedis.class)
class RedisRecoveryTest {

    @Test
    void aRedisRestartFailsNoRunLosesNoEventAndTheSubscriptionComesBack() {
        assertTimeoutPreemptively(Duration.ofSeconds(240), () -> {
            OwnRedis redis = OwnRedis.server();
            try (TargetApp target = TargetApp.clean()) {
                target.hold();
                String token = Runs.userToken();
                String run = Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile", "/page/1"));
                await().atMost(Duration.ofSeconds(30)).until(() -> target.requests() >= 1);
                assertThat(redis.patternSubscriptions()).isEqualTo(1);

                List<SseClient.Event> received = new CopyOnWriteArrayList<>();
                try (SseClient sse = SseClient.connect(feedbackUrl(run), token, null)) {
                    CompletableFuture<Void> reading = readUntilEnd(sse, received);
                    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 2);

                    redis.down();
                    given().auth().oauth2(token).get("/api/v1/test-runs/" + run + "/feedback/app/poll")
                            .then().statusCode(503).contentType(startsWith("application/problem+json"))
                            .header("Retry-After", equalTo("2"));

                    target.open();
                    await().atMost(Duration.ofSeconds(60)).until(() -> {
                        JsonNode state = Runs.get(run);
                        return !state.path("status").asText().equals("RUNNING")
                                || state.path("testers").get(0).path("pctComplete").asInt() == 100;
                    });
                    assertThat(Runs.get(run).path("status").asText())
                            .as("the testers are done, but a run does not end while its end cannot be announced")
                            .isEqualTo("RUNNING");

                    redis.up();
                    reading.get(90, TimeUnit.SECONDS);
                }
                assertThat(Runs.awaitEnded(run).path("status").asText()).isEqualTo("FINISHED");
                await().atMost(Duration.ofSeconds(30)).until(() -> redis.patternSubscriptions() == 1);

                assertThat(received.get(received.size() - 1).name()).isEqualTo("end");
                List<String> streamed = received.stream().filter(e -> !e.name().equals("end"))
                        .map(SseClient.Event::id).toList();
                List<JsonNode> all = Runs.pollAll(run, "app", token);
                assertThat(streamed).as("the SSE client got every event exactly once, in order")
                        .containsExactlyElementsOf(all.stream().map(e -> e.path("id").asText()).toList());
                assertThat(all.stream().map(e -> e.path("type").asText()).toList())
                        .as("what the tester reported while Redis was down was published afterwards")
                        .contains("pctComplete").endsWith("finished");
                assertThat(all.stream().filter(e -> e.path("type").asText().equals("pctComplete"))
                        .map(e -> e.path("data").path("pctComplete").asInt())).containsExactly(50, 100);
            }
        });
    }

    @Test
    void aKilledSubscriptionIsRenewedAndFollowersGetTheEventsTheyMissed() {
        assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
            OwnRedis redis = OwnRedis.server();
            try (TargetApp target = TargetApp.clean()) {
                target.hold();
                String token = Runs.userToken();
                String run = Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile"));
                await().atMost(Duration.ofSeconds(30)).until(() -> target.requests() >= 1);

                List<SseClient.Event> received = new CopyOnWriteArrayList<>();
                try (SseClient sse = SseClient.connect(feedbackUrl(run), token, null)) {
                    CompletableFuture<Void> reading = readUntilEnd(sse, received);
                    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 2);

                    assertThat(redis.command("CLIENT KILL TYPE pubsub")).isEqualTo(":1");
                    target.open();
                    await().atMost(Duration.ofSeconds(30)).until(() -> redis.patternSubscriptions() == 1);
                    reading.get(90, TimeUnit.SECONDS);
                }
                assertThat(received.get(received.size() - 1).name()).isEqualTo("end");
                assertThat(received.stream().filter(e -> !e.name().equals("end")).map(SseClient.Event::id).toList())
                        .containsExactlyElementsOf(Runs.pollAll(run, "app", token).stream()
                                .map(e -> e.path("id").asText()).toList());
            }
        });
    }

    private static CompletableFuture<Void> readUntilEnd(SseClient sse, List<SseClient.Event> received) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (SseClient.Event event = sse.next(); event != null; event = sse.next()) {
                    received.add(event);
                    if (event.name().equals("end")) {
                        return;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String feedbackUrl(String run) {
        return "http://localhost:" + RestAssured.port + "/api/v1/test-runs/" + run + "/feedback/app";
    }
}
