package dev.bulwark.workflow.trigger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import dev.bulwark.workflow.trigger.domain.CronTicker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TriggerTest {

    @Inject
    CronTicker ticker;

    @Test
    void aWebhookStartsItsWorkflowWithTheBodyForCallersWithTheSecret() throws Exception {
        TestOrg org = TestOrg.create();
        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("hooked.json"));
        Map<String, Object> webhook = org.user().when().get("/api/v1/workflows/{id}/triggers", workflow)
                .then().statusCode(200).extract().path("webhook");
        String hookId = (String) webhook.get("hookId");
        String secret = (String) webhook.get("secret");
        assertThat((String) webhook.get("url")).endsWith("/api/v1/hooks/" + hookId);
        org.reader().when().get("/api/v1/workflows/{id}/triggers", workflow).then().statusCode(403);

        String body = "{\"alert\":\"port scan\"}";
        RestAssured.given().contentType(ContentType.JSON).body(body).when().post("/api/v1/hooks/{id}", hookId)
                .then().statusCode(401);
        RestAssured.given().contentType(ContentType.JSON).header("X-Bulwark-Hook-Secret", secret + "x").body(body)
                .when().post("/api/v1/hooks/{id}", hookId).then().statusCode(401);
        RestAssured.given().contentType(ContentType.JSON).header("X-Bulwark-Hook-Secret", secret).body(body)
                .when().post("/api/v1/hooks/{id}", UUID.randomUUID()).then().statusCode(404);

        String execution = RestAssured.given().contentType(ContentType.JSON).header("X-Bulwark-Hook-Secret", secret)
                .body(body).when().post("/api/v1/hooks/{id}", hookId)
                .then().statusCode(202).body("status", equalTo("EXECUTING")).extract().path("executionId");
        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("trigger", equalTo("webhook")).body("argument.alert", equalTo("port scan"));

        // The old scheme, a signature of the body alone, is refused with or without a timestamp.
        String bodyOnly = sign(secret, body);
        post(hookId, body, bodyOnly, null).then().statusCode(401);
        post(hookId, body, bodyOnly, now()).then().statusCode(401);

        String timestamp = now();
        String signature = sign(secret, timestamp + "." + body);
        post(hookId, body, signature, timestamp).then().statusCode(202);
        post(hookId, body, signature, timestamp).then().statusCode(401)
                .body("detail", containsString("already received"));
        post(hookId, body.replace("port", "host"), signature, timestamp).then().statusCode(401);

        String stale = Long.toString(Instant.now().minusSeconds(310).getEpochSecond());
        post(hookId, body, sign(secret, stale + "." + body), stale).then().statusCode(401);
        String future = Long.toString(Instant.now().plusSeconds(310).getEpochSecond());
        post(hookId, body, sign(secret, future + "." + body), future).then().statusCode(401);
        String slightlyOld = Long.toString(Instant.now().minusSeconds(60).getEpochSecond());
        post(hookId, body, sign(secret, slightlyOld + "." + body), slightlyOld).then().statusCode(202);

        // A new version keeps the address and secret; removing the trigger removes the hook.
        org.user().body(TestWorkflows.resource("hooked.json")).when().put("/api/v1/workflows/{id}", workflow)
                .then().statusCode(200);
        org.user().when().get("/api/v1/workflows/{id}/triggers", workflow).then()
                .body("webhook.hookId", equalTo(hookId)).body("webhook.secret", equalTo(secret));
        org.user().body(TestWorkflows.resource("single.json")).when().put("/api/v1/workflows/{id}", workflow)
                .then().statusCode(200);
        RestAssured.given().contentType(ContentType.JSON).header("X-Bulwark-Hook-Secret", secret).body(body)
                .when().post("/api/v1/hooks/{id}", hookId).then().statusCode(404);
    }

    private static io.restassured.response.Response post(String hookId, String body, String signature,
                                                         String timestamp) {
        var request = RestAssured.given().contentType(ContentType.JSON).header("X-Bulwark-Signature", signature);
        if (timestamp != null) {
            request.header("X-Bulwark-Timestamp", timestamp);
        }
        return request.body(body).when().post("/api/v1/hooks/{id}", hookId);
    }

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    private static String sign(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCronTriggerStartsOneExecutionPerTickEvenWithConcurrentTickers() throws Exception {
        TestOrg org = TestOrg.create();
        Instant saved = Instant.now();
        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("every-two-seconds.json"));

        // Four more "replicas" tick as fast as they can beside the scheduler.
        ExecutorService replicas = Executors.newFixedThreadPool(4);
        Instant until = Instant.now().plusSeconds(6);
        for (int i = 0; i < 4; i++) {
            replicas.submit(() -> {
                while (Instant.now().isBefore(until)) {
                    ticker.tick();
                }
            });
        }
        replicas.shutdown();
        assertThat(replicas.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        org.user().body(TestWorkflows.resource("single.json")).when().put("/api/v1/workflows/{id}", workflow)
                .then().statusCode(200);
        long seconds = Duration.between(saved, Instant.now()).toSeconds() + 2;

        List<Map<String, Object>> executions = org.reader().queryParam("workflowId", workflow).queryParam("size", 100)
                .when().get("/api/v1/executions").then().statusCode(200).extract().path("items");
        // One execution per tick (every two seconds) at most, where five racing tickers would start up to five per tick.
        assertThat(executions).hasSizeBetween(2, (int) seconds / 2 + 1);
        assertThat(executions).allMatch(e -> e.get("trigger").equals("schedule"));

        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        org.reader().queryParam("workflowId", workflow).when().get("/api/v1/executions").then()
                .body("total", equalTo(executions.size()));
    }
}
