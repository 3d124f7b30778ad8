package dev.bulwark.orchestrator.purpleteam.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.SseClient;
import dev.bulwark.orchestrator.support.TargetApp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The purpleteam CLI's conversation (compat/purpleteam-cli.md), replayed without a token as the CLI sends it. */
@QuarkusTest
class PurpleteamCompatTest {

    private static final Set<String> EVENT_NAMES = Set.of("testerProgress", "testerPctComplete", "testerBugCount");

    @Test
    void theCliFlowWithLongPolling() {
        try (TargetApp target = TargetApp.planted()) {
            String job = Jobs.app(target.port(), "/profile");
            given().contentType("application/vnd.api+json").accept("application/json").body(job)
                    .post("/testplan")
                    .then().statusCode(200)
                    .body("name", org.hamcrest.Matchers.contains("app", "server", "tls"))
                    .body("[1].message", equalTo("No server testing available currently. The server Tester is "
                            + "currently in-active."))
                    .body("[0].message", startsWith("Session lowPrivUser"));

            given().contentType("application/vnd.api+json").body(job).post("/test")
                    .then().statusCode(202)
                    .body("testerStatuses[0].name", equalTo("app"))
                    .body("testerStatuses[0].message", equalTo("Tester initialised."))
                    .body("testerStatuses[2].message", equalTo("No tls testing available currently. The tls Tester "
                            + "is currently in-active."))
                    .body("testerFeedbackCommsMedium", equalTo("sse"));
            given().get("/status").then().statusCode(200);

            List<JsonNode> events = new ArrayList<>();
            int nulls = 0;
            String last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (last == null || !last.startsWith("Tester finished") && !last.equals(PurpleteamResource.ALL_FINISHED)) {
                assertThat(System.nanoTime()).as("the session's loop ends").isLessThan(deadline);
                JsonNode reply = Runs.read(given().accept("application/json").get("/poll-tester-feedback/app/lowPrivUser")
                        .then().statusCode(200).extract().asString());
                assertThat(reply.isArray()).isTrue();
                for (JsonNode event : reply) {
                    assertThat(EVENT_NAMES).contains(event.path("event").asText());
                    String key = event.path("event").asText().substring("tester".length());
                    key = Character.toLowerCase(key.charAt(0)) + key.substring(1);
                    assertThat(event.path("data").has(key)).as("data key %s of %s", key, event).isTrue();
                    if (event.path("data").path("progress").isNull() && event.path("event").asText().equals("testerProgress")) {
                        nulls++;
                        continue;
                    }
                    events.add(event);
                    if (event.path("event").asText().equals("testerProgress")) {
                        last = event.path("data").path("progress").asText();
                    }
                }
            }
            assertThat(nulls).as("idle replies are rare").isLessThan(5);
            assertThat(last).isEqualTo(PurpleteamResource.ALL_FINISHED);
            assertThat(events).anySatisfy(e -> assertThat(e.path("event").asText()).isEqualTo("testerBugCount"));
            assertThat(events).anySatisfy(e -> assertThat(e.path("data").path("pctComplete").asInt()).isEqualTo(100));

            await().atMost(Duration.ofSeconds(10)).until(() -> given().accept("application/zip").get("/outcomes")
                    .statusCode() == 200);
            byte[] zip = given().accept("application/zip").get("/outcomes").then().statusCode(200)
                    .contentType("application/zip").extract().asByteArray();
            assertThat(Runs.unzip(zip)).containsKey("app/junit.xml");
        }
    }

    @Test
    void theCliFlowWithServerSentEvents() {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (TargetApp target = TargetApp.clean()) {
                given().contentType("application/vnd.api+json").body(Jobs.app(target.port(), "/profile"))
                        .post("/test").then().statusCode(202);
                List<SseClient.Event> events;
                try (SseClient sse = SseClient.connect("http://localhost:" + RestAssured.port
                        + "/tester-feedback/app/lowPrivUser", null, null)) {
                    assertThat(sse.status()).isEqualTo(200);
                    events = sse.untilEnd();
                }
                SseClient.Event end = events.get(events.size() - 1);
                assertThat(end.name()).isEqualTo("end");
                List<SseClient.Event> feedback = events.subList(0, events.size() - 1);
                assertThat(feedback).allSatisfy(e -> {
                    assertThat(EVENT_NAMES).contains(e.name());
                    assertThat(e.id()).isNotBlank();
                });
                assertThat(Runs.read(feedback.get(feedback.size() - 1).data()).path("progress").asText())
                        .isEqualTo(PurpleteamResource.ALL_FINISHED);
            }
        });
    }

    @Test
    void aSlowSessionSendsHeartbeatsSoNoLongPollComesBackIdle() {
        try (TargetApp target = TargetApp.planted()) {
            target.hold();
            given().contentType("application/vnd.api+json").body(Jobs.app(target.port(), "/profile")).post("/test")
                    .then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> target.requests() >= 1);
            await("the events before the sign-in hung").atMost(Duration.ofSeconds(60))
                    .until(() -> poll().toString().contains("Testing 1 route(s)"));

            for (int i = 0; i < 3; i++) {
                JsonNode reply = poll();
                assertThat(reply).as("poll %d while the sign-in hangs (max-poll-wait PT15S, heartbeat PT10S)", i)
                        .allSatisfy(event -> assertThat(event.path("data").path("progress").isNull()).isFalse())
                        .anySatisfy(event -> assertThat(event.path("data").path("progress").asText())
                                .isEqualTo("Session lowPrivUser of tester app is running; last step: Testing 1 "
                                        + "route(s) of http://127.0.0.1:" + target.port() + " as session lowPrivUser"));
            }
            target.open();
            await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/status").then().extract().asString()
                    .equals("orchestrator is ready to take orders."));
        }
    }

    private static JsonNode poll() {
        return Runs.read(given().accept("application/json").get("/poll-tester-feedback/app/lowPrivUser")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void anInvalidJobIsAnsweredWithAMessage() {
        given().contentType("application/vnd.api+json").body("{\"data\": {}}").post("/testplan")
                .then().statusCode(400).body("message", startsWith("The job has"));
    }
}
