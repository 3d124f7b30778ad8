package dev.bulwark.orchestrator.run.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.OrchestratorProcess;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.SseClient;
import dev.bulwark.orchestrator.support.TargetApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real instances of the packaged service sharing one database schema and Redis, as two replicas would: a run
 * started on one is followed, finished and served by the other, also after the first is killed mid-run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final Duration LONG = Duration.ofSeconds(180);
    private static final String SCHEMA = "it_" + UUID.randomUUID().toString().replace("-", "");

    private static TargetApp target;
    private static OrchestratorProcess a;
    private static OrchestratorProcess b;

    @BeforeAll
    static void start() {
        target = TargetApp.planted();
        List<String> settings = List.of("-Dbulwark.egress.allow-hosts=127.0.0.1:" + target.port(),
                "-Dbulwark.orchestrator.lease=PT5S", "-Dbulwark.orchestrator.lease-check-interval=PT1S",
                "-Dbulwark.orchestrator.heartbeat-interval=PT1S", "-Dbulwark.orchestrator.request-timeout=PT30S");
        a = OrchestratorProcess.start("a", SCHEMA, settings);
        b = OrchestratorProcess.start("b", SCHEMA, settings);
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (target != null) {
            target.close();
        }
        OrchestratorProcess.dropSchema(SCHEMA);
    }

    @Test
    @Order(1)
    void aRunStartedOnOneInstanceIsFollowedAndServedByTheOther() {
        target.open();
        String run = startOn(a, Jobs.appWithoutSignIn(target.port(), "/profile"));

        List<JsonNode> events = pollAll(b, run, "app");

        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1).path("data").path("runDone").asBoolean()).isTrue();
        assertThat(awaitEnded(b, run).path("status").asText()).isEqualTo("FINISHED");
        assertThat(findings(b, run)).isNotEmpty();
    }

    @Test
    @Order(2)
    void killingTheInstanceRunningARunHandsItToTheOtherWhichFinishesIt() throws Exception {
        target.hold();
        String run = startOn(a, Jobs.app(target.port(), "/profile"));
        await().atMost(LONG).until(() -> target.requests() > 0
                && get(b, run).path("testers").get(0).path("status").asText().equals("RUNNING"));
        List<SseClient.Event> received = Collections.synchronizedList(new ArrayList<>());
        SseClient sse = SseClient.connect(b.url() + "/api/v1/test-runs/" + run + "/feedback/app",
                Runs.userToken(), null);
        assertThat(sse.status()).isEqualTo(200);
        CompletableFuture<Void> followed = CompletableFuture.runAsync(() -> {
            try {
                for (SseClient.Event event = sse.next(); event != null; event = sse.next()) {
                    received.add(event);
                    if (event.name().equals("end")) {
                        return;
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // live events of instance a reach a client of instance b: a's heartbeats while its session is held
        await().atMost(LONG).until(() -> received.stream().anyMatch(e -> e.data().contains("is running")));

        a.kill();
        target.open();

        JsonNode ended = awaitEnded(b, run);
        assertThat(ended.path("status").asText()).isEqualTo("FINISHED");
        followed.get(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        sse.close();
        assertThat(received).extracting(SseClient.Event::data)
                .anyMatch(data -> data.contains("again, on another service instance"));
        assertThat(received.get(received.size() - 1).name()).isEqualTo("end");
        assertThat(received).filteredOn(e -> e.name().equals("finished")).hasSize(1);
        assertThat(findings(b, run)).isNotEmpty();
    }

    private static String startOn(OrchestratorProcess instance, String job) {
        return given().baseUri(instance.url()).auth().oauth2(Runs.userToken())
                .contentType("application/vnd.api+json").body(job)
                .when().post("/api/v1/test-runs")
                .then().statusCode(202).extract().path("id");
    }

    private static JsonNode get(OrchestratorProcess instance, String run) {
        return Runs.read(given().baseUri(instance.url()).auth().oauth2(Runs.userToken())
                .when().get("/api/v1/test-runs/" + run)
                .then().statusCode(200).extract().asString());
    }

    private static JsonNode awaitEnded(OrchestratorProcess instance, String run) {
        await().atMost(LONG).pollInterval(Duration.ofMillis(500))
                .until(() -> !get(instance, run).path("status").asText().equals("RUNNING"));
        return get(instance, run);
    }

    private static List<JsonNode> findings(OrchestratorProcess instance, String run) {
        byte[] zip = given().baseUri(instance.url()).auth().oauth2(Runs.userToken())
                .when().get("/api/v1/test-runs/" + run + "/outcomes")
                .then().statusCode(200).contentType("application/zip").extract().asByteArray();
        Map<String, byte[]> entries = Runs.unzip(zip);
        List<JsonNode> findings = new ArrayList<>();
        Runs.read(new String(entries.get("app/findings.json"))).forEach(s -> s.path("findings").forEach(findings::add));
        return findings;
    }

    private static List<JsonNode> pollAll(OrchestratorProcess instance, String run, String tester) {
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        boolean done = false;
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!done) {
            assertThat(System.nanoTime()).as("feedback of %s ended", run).isLessThan(deadline);
            var request = given().baseUri(instance.url()).auth().oauth2(Runs.userToken()).queryParam("wait", 5);
            if (cursor != null) {
                request.queryParam("after", cursor);
            }
            JsonNode batch = Runs.read(request.when().get("/api/v1/test-runs/" + run + "/feedback/" + tester + "/poll")
                    .then().statusCode(200).extract().asString());
            batch.path("events").forEach(events::add);
            cursor = batch.path("cursor").isNull() ? cursor : batch.path("cursor").asText();
            done = batch.path("done").asBoolean();
        }
        return events;
    }
}
