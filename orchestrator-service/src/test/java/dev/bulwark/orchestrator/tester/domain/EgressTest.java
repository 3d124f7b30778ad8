package dev.bulwark.orchestrator.tester.domain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.common.egress.EgressRefused;
import dev.bulwark.common.egress.EgressRules;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.orchestrator.job.domain.Job;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.TargetApp;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Targets pass the suite's egress policy: at submission (400 naming the reason) and again at connect time in the
 * testers. The test configuration allow-lists 127.0.0.0/8 for the test organisations only.
 */
@QuarkusTest
class EgressTest {

    private static final String LOOPBACK_HINT = " is refused by the egress policy: 127.0.0.1 is a loopback address "
            + "(allow-list it with bulwark.egress.allow-cidrs or the host with bulwark.egress.allow-hosts)";

    @Inject
    AppTester app;

    @Test
    void aLoopbackTargetIsRefusedForAnOrganisationWithoutTheAllowList() {
        String stranger = TestTokens.builder().org("org-without-allow-list").roles(Roles.USER).build();
        try (TargetApp target = TargetApp.clean()) {
            given().auth().oauth2(stranger).contentType("application/vnd.api+json")
                    .body(Jobs.app(target.port(), "/profile"))
                    .post("/api/v1/test-runs")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("type", endsWith("/egress-refused"))
                    .body("detail", equalTo("http://127.0.0.1:" + target.port() + LOOPBACK_HINT));
            given().auth().oauth2(stranger).get("/api/v1/test-runs").then().statusCode(200).body("size()", equalTo(0));

            Runs.awaitEnded(Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile")));
            assertThat(target.requests()).as("the same target is tested for the allow-listed test-org").isPositive();
        }
    }

    @Test
    void cloudMetadataIsRefusedEvenWhereLoopbackIsAllowed() {
        given().auth().oauth2(Runs.userToken()).contentType("application/vnd.api+json")
                .body(Jobs.appWithoutSignIn(80, "/latest").replace("127.0.0.1", "169.254.169.254"))
                .post("/api/v1/test-runs")
                .then().statusCode(400).body("type", endsWith("/egress-refused"))
                .body("detail", equalTo("http://169.254.169.254:80 is refused by the egress policy: 169.254.169.254 "
                        + "is a link-local address (allow-list it with bulwark.egress.allow-cidrs or the host with "
                        + "bulwark.egress.allow-hosts)"));
    }

    @Test
    void theAppTesterChecksThePolicyBeforeEachRequest() {
        try (TargetApp target = TargetApp.clean()) {
            Job job = new Job("Api", new Job.Target("http", "127.0.0.1", target.port()), Job.Authentication.none(),
                    List.of(new Job.AppSession("s", null, null, List.of(new Job.Route("/profile", "GET",
                            List.of())))), Optional.empty());

            assertThatThrownBy(() -> app.run(job, "s", new Refusing())).isInstanceOf(EgressRefused.class)
                    .hasMessage("http://127.0.0.1:" + target.port() + LOOPBACK_HINT);
            assertThat(target.requests()).isZero();
        }
    }

    @Test
    void theTlsTesterChecksThePolicyBeforeItOpensASocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Job job = new Job("BrowserApp", new Job.Target("https", "127.0.0.1", server.getLocalPort()),
                    Job.Authentication.none(), List.of(), Optional.of("NA"));

            assertThatThrownBy(() -> new TlsTester().run(job, "NA", new Refusing()))
                    .isInstanceOf(EgressRefused.class)
                    .hasMessage("https://127.0.0.1:" + server.getLocalPort() + LOOPBACK_HINT);
            server.setSoTimeout(200);
            assertThatThrownBy(server::accept).as("no connection was opened").isInstanceOf(SocketTimeoutException.class);
        }
    }

    /** A session context under the default policy: nothing internal allowed. */
    private static final class Refusing implements TesterContext {
        private final EgressPolicy policy = EgressPolicy.of(EgressRules.NONE);

        @Override
        public void progress(String message) {
        }

        @Override
        public void pctComplete(int pct) {
        }

        @Override
        public void finding(Finding finding) {
        }

        @Override
        public void checkStopped() {
        }

        @Override
        public Duration requestTimeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public List<InetAddress> checkEgress(URI uri) {
            return policy.check(uri);
        }

        @Override
        public long maxResponseBody() {
            return 1024;
        }
    }
}
