package dev.bulwark.orchestrator.feedback.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.SseClient;
import dev.bulwark.orchestrator.support.TargetApp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One principal holds at most the configured SSE streams and long polls at once; more are refused with 429. */
@QuarkusTest
@TestProfile(FeedbackLimitsTest.LowCaps.class)
class FeedbackLimitsTest {

    public static class LowCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bulwark.orchestrator.max-sse-streams-per-principal", "2",
                    "bulwark.orchestrator.max-long-polls-per-principal", "1",
                    // no heartbeat wakes a waiting long poll during the test: it waits its whole wait
                    "bulwark.orchestrator.heartbeat-interval", "PT5M");
        }
    }

    private static String feedbackUrl(String run) {
        return "http://localhost:" + RestAssured.port + "/api/v1/test-runs/" + run + "/feedback/app";
    }

    @Test
    void aThirdStreamOfOnePrincipalIsRefusedUntilOneCloses() throws Exception {
        try (TargetApp target = TargetApp.clean()) {
            target.hold();
            String token = Runs.userToken();
            String run = Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile"), token);
            try (SseClient first = SseClient.connect(feedbackUrl(run), token, null);
                 SseClient second = SseClient.connect(feedbackUrl(run), token, null)) {
                assertThat(first.status()).isEqualTo(200);
                assertThat(second.status()).isEqualTo(200);

                given().auth().oauth2(token).accept("text/event-stream").when().get(feedbackUrl(run))
                        .then().statusCode(429).header("Retry-After", "5")
                        .contentType(startsWith("application/problem+json"))
                        .body("status", equalTo(429));
                String otherUser = TestTokens.builder().subject("other-user").roles(Roles.USER).build();
                try (SseClient other = SseClient.connect(feedbackUrl(run), otherUser, null)) {
                    assertThat(other.status()).as("another principal has caps of its own").isEqualTo(200);
                }

                second.close();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    target.release(1); // an event to write, on which the server also notices the closed stream
                    try (SseClient again = SseClient.connect(feedbackUrl(run), token, null)) {
                        return again.status() == 200;
                    }
                });
            } finally {
                target.open();
                Runs.awaitEnded(run);
            }
        }
    }

    @Test
    void aSecondLongPollOfOnePrincipalIsRefusedWhileTheFirstWaits() throws Exception {
        try (TargetApp target = TargetApp.clean()) {
            target.hold();
            String token = Runs.userToken();
            String run = Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile"), token);
            try {
                String cursor = given().auth().oauth2(token).when().get(feedbackUrl(run) + "/poll")
                        .then().statusCode(200).extract().path("cursor");
                CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> given().auth().oauth2(token)
                        .queryParam("after", cursor).queryParam("wait", 15)
                        .when().get(feedbackUrl(run) + "/poll").then().extract().statusCode());
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    int status = given().auth().oauth2(token).when().get(feedbackUrl(run) + "/poll")
                            .then().extract().statusCode();
                    return status == 429 || waiting.isDone();
                });
                assertThat(waiting).as("the refusal came while the first poll waited").isNotDone();
                given().auth().oauth2(token).when().get(feedbackUrl(run) + "/poll")
                        .then().statusCode(429).header("Retry-After", "5");
                assertThat(waiting.get(60, TimeUnit.SECONDS)).isEqualTo(200);
                given().auth().oauth2(token).when().get(feedbackUrl(run) + "/poll").then().statusCode(200);
            } finally {
                target.open();
                Runs.awaitEnded(run);
            }
        }
    }
}
