package dev.bulwark.orchestrator.domain.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem;
import dev.bulwark.orchestrator.domain.job.Job.Authentication.Strategy;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@QuarkusTest
class JobParserTest {

    @Inject
    JobParser parser;

    @Test
    void readsTheBrowserAppJobOfTheReadme() throws IOException {
        Job job = parser.parse(resource("jobs/browserapp-job.json"));

        assertThat(job.type()).isEqualTo("BrowserApp");
        assertThat(job.target().baseUrl()).isEqualTo("https://127.0.0.1:4000");
        assertThat(job.auth().strategy()).isEqualTo(Strategy.FORM);
        assertThat(job.auth().route()).isEqualTo("/login");
        assertThat(job.tlsSession()).contains("NA");
        assertThat(job.appSessions()).singleElement().satisfies(session -> {
            assertThat(session.id()).isEqualTo("lowPrivUser");
            assertThat(session.username()).isEqualTo("user1");
            assertThat(session.routes()).singleElement().satisfies(route -> {
                assertThat(route.path()).isEqualTo("/profile");
                assertThat(route.method()).isEqualTo("POST");
                assertThat(route.attackFields()).extracting(Job.AttackField::name).containsExactly("firstName");
            });
        });
    }

    @Test
    void anApiJobWithHeaderAuthenticationTestsTheRootWhenASessionNamesNoRoute() throws IOException {
        Job job = parser.parse(resource("jobs/api-header-job.json"));

        assertThat(job.auth().strategy()).isEqualTo(Strategy.HEADER);
        assertThat(job.auth().headerName()).isEqualTo("Authorization");
        assertThat(job.tlsSession()).isEmpty();
        assertThat(job.appSessions()).extracting(Job.AppSession::id).containsExactly("apiUser", "reportReader");
        assertThat(job.appSessions().get(0).routes()).extracting(Job.Route::path).containsExactly("/");
        assertThat(job.appSessions().get(1).routes()).extracting(Job.Route::method).containsExactly("GET");
    }

    @Test
    void aBrowserAppSessionNeedsARoute() throws IOException {
        String job = resource("jobs/api-header-job.json").replace("\"Api\"", "\"BrowserApp\"");
        assertThatThrownBy(() -> parser.parse(job)).isInstanceOfSatisfying(Invalid.class, e ->
                assertThat(e.toProblem("/x").errors()).extracting(Problem.FieldViolation::field)
                        .containsExactly("included[0].relationships.data"));
    }

    @Test
    void notAnObjectIsRejected() {
        assertThatThrownBy(() -> parser.parse("[1, 2]")).isInstanceOf(Invalid.class)
                .hasMessage("The job must be a JSON object");
        assertThatThrownBy(() -> parser.parse("")).isInstanceOf(Invalid.class);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = JobParserTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
