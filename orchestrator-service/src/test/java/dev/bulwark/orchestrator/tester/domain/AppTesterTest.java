package dev.bulwark.orchestrator.tester.domain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.TargetApp;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AppTesterTest {

    private static final List<String> PLANTED = List.of("cookie-without-httponly", "cookie-without-samesite",
            "cookie-without-secure", "cors-reflected-origin", "dangerous-method-allowed", "error-page-disclosure",
            "header-information-disclosure", "missing-csp", "missing-frame-protection", "missing-referrer-policy",
            "missing-x-content-type-options", "open-redirect", "reflected-input", "trace-enabled");

    @Test
    void findsEveryPlantedProblem() {
        try (TargetApp target = TargetApp.planted()) {
            String run = Runs.start(Jobs.app(target.port(), "/profile"));
            JsonNode ended = Runs.awaitEnded(run);

            assertThat(ended.path("status").asText()).isEqualTo("FINISHED");
            List<JsonNode> findings = Runs.findings(run, "app");
            assertThat(Runs.kinds(findings)).containsExactlyElementsOf(PLANTED);
            assertThat(ended.path("testers").get(0).path("findings").asInt()).isEqualTo(findings.size());

            assertThat(findings).filteredOn(f -> f.path("kind").asText().equals("reflected-input"))
                    .as("only firstName is reflected unescaped; lastName is escaped")
                    .extracting(f -> f.path("location").asText())
                    .containsExactly("http://127.0.0.1:" + target.port() + "/profile (field firstName)");
            assertThat(findings).filteredOn(f -> f.path("kind").asText().startsWith("cookie-"))
                    .allSatisfy(f -> {
                        assertThat(f.path("location").asText()).contains("cookie sid");
                        assertThat(f.path("evidence").asText()).doesNotContain("s3cr3t");
                    });
            assertThat(findings).filteredOn(f -> f.path("kind").asText().equals("cors-reflected-origin"))
                    .extracting(f -> f.path("severity").asText()).containsExactly("HIGH");
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("bulwark_orchestrator_findings_total{severity=\"HIGH\",tester=\"app\"}"))
                    .body(containsString("bulwark_orchestrator_runs_ended_total{status=\"FINISHED\"}"))
                    .body(containsString("bulwark_orchestrator_feedback_events_total{type=\"findingCount\"}"));
        }
    }

    @Test
    void aCleanTargetYieldsNoneOfThoseFindings() {
        try (TargetApp target = TargetApp.clean()) {
            String run = Runs.start(Jobs.app(target.port(), "/profile", "/page/2"));
            JsonNode ended = Runs.awaitEnded(run);

            assertThat(ended.path("status").asText()).isEqualTo("FINISHED");
            assertThat(ended.path("testers").get(0).path("pctComplete").asInt()).isEqualTo(100);
            assertThat(Runs.findings(run, "app")).isEmpty();
            assertThat(target.requests()).as("the tester did send its probes").isGreaterThan(20);
        }
    }

    @Test
    void anHttpsTargetWhoseCertificateHasNoSubjectAlternativeNamesIsTested() throws Exception {
        try (TargetApp target = TargetApp.cleanHttpsWithoutSubjectAlternativeNames()) {
            String run = Runs.start(Jobs.job("BrowserApp", "https", target.port(), true, false, List.of("/profile")));
            JsonNode ended = Runs.awaitEnded(run);

            JsonNode session = ended.path("testers").get(0).path("sessions").get(0);
            assertThat(session.path("status").asText()).as("session message: %s", session.path("message"))
                    .isEqualTo("FINISHED");
            assertThat(ended.path("status").asText()).isEqualTo("FINISHED");
            assertThat(Runs.findings(run, "app")).isEmpty();
            assertThat(target.requests()).as("the tester did send its probes").isGreaterThan(20);
        }
    }

    @Test
    void responseBodiesAreReadOnlyUpToTheLimit() {
        try (TargetApp target = TargetApp.clean()) {
            String run = Runs.start(Jobs.appWithoutSignIn(target.port(), "/big"));
            JsonNode ended = Runs.awaitEnded(run);

            assertThat(ended.path("status").asText()).isEqualTo("FINISHED");
            assertThat(target.requests()).as("the tester did send its probes").isGreaterThan(10);
            assertThat(target.bigBodiesSent()).as("no 32 MB answer was read to its end (%test max-body 1M)")
                    .isZero();
            assertThat(Runs.pollAll(run, "app", Runs.userToken()).toString())
                    .contains("A response of /big is longer than 1048576 bytes: only its beginning is examined");
        }
    }

    @Test
    void aFailedSignInFailsTheSession() {
        try (TargetApp target = TargetApp.planted()) {
            String job = Jobs.app(target.port(), "/profile").replace("Log Out", "Welcome back");
            String run = Runs.start(job);
            JsonNode ended = Runs.awaitEnded(run);

            assertThat(ended.path("status").asText()).isEqualTo("FAILED");
            JsonNode session = ended.path("testers").get(0).path("sessions").get(0);
            assertThat(session.path("status").asText()).isEqualTo("FAILED");
            assertThat(session.path("message").asText()).contains("Sign-in of session lowPrivUser");
        }
    }
}
