package dev.bulwark.orchestrator.job.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem;
import dev.bulwark.orchestrator.job.domain.Job.Authentication.Strategy;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void readsTheRunnableSampleJobTheReadmeShips() throws IOException {
        Job job = parser.parse(Files.readString(Path.of("examples", "job.json")));

        assertThat(job.target().baseUrl()).as("the target the README starts with python3 -m http.server 4000")
                .isEqualTo("http://127.0.0.1:4000");
        assertThat(job.auth().strategy()).isEqualTo(Strategy.NONE);
        assertThat(job.tlsSession()).isEmpty();
        assertThat(job.appSessions()).singleElement().satisfies(session -> {
            assertThat(session.id()).isEqualTo("anonymous");
            assertThat(session.routes()).extracting(Job.Route::path).containsExactly("/", "/profile.html");
            session.routes().forEach(route -> assertThat(Path.of("examples", "site", route.path().equals("/")
                    ? "index.html" : route.path().substring(1))).as("served by the sample site").isRegularFile());
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
    void theHeaderStrategyRefusesHopByHopFramingAndTesterHeadersAndBoundsTheHeader() throws IOException {
        String job = resource("jobs/api-header-job.json");
        for (String name : List.of("Host", "content-length", "Transfer-Encoding", "Connection", "Upgrade", "TE",
                "Expect", "Proxy-Authorization", "Origin")) {
            assertThatThrownBy(() -> parser.parse(job.replace("\"Authorization\"", "\"" + name + "\"")))
                    .as(name).isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.toProblem("/x").errors())
                            .singleElement().satisfies(v -> {
                                assertThat(v.field()).isEqualTo("data.attributes.sutAuthentication.headerName");
                                assertThat(v.message()).startsWith("may not be " + name + ": hop-by-hop");
                            }));
        }
        assertThatThrownBy(() -> parser.parse(job.replace("\"Authorization\"", "\"X Bad: name\"")))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.toProblem("/x").errors())
                        .extracting(Problem.FieldViolation::message)
                        .containsExactly("must be a header name (letters, digits and !#$%&'*+.^_`|~-) of at most 64 "
                                + "characters"));
        assertThatThrownBy(() -> parser.parse(job.replace("Bearer sut-token", "Bearer x\\r\\nHost: evil")))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.toProblem("/x").errors())
                        .extracting(Problem.FieldViolation::field)
                        .containsExactly("data.attributes.sutAuthentication.headerValue"));
        assertThatThrownBy(() -> parser.parse(job.replace("Bearer sut-token", "x".repeat(4097))))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.toProblem("/x").errors())
                        .extracting(Problem.FieldViolation::message).containsExactly("must be at most 4096 characters"));

        assertThat(parser.parse(job.replace("\"Authorization\"", "\"Cookie\"")).auth().headerName())
                .as("a session cookie is a valid Header sign-in").isEqualTo("Cookie");
        assertThat(parser.parse(job.replace("\"Authorization\"", "\"X-Api-Key\"")).auth().headerName())
                .isEqualTo("X-Api-Key");
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
