package dev.bulwark.orchestrator.tester.domain;

import dev.bulwark.orchestrator.job.domain.Job.AppSession;
import dev.bulwark.orchestrator.job.domain.Job.Authentication;
import dev.bulwark.orchestrator.job.domain.Job.Route;
import dev.bulwark.orchestrator.job.domain.Job;
import dev.bulwark.orchestrator.tester.domain.TargetClient.Answer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Tests each route of an {@code appScanner} session over HTTP: security headers, cookie flags, CORS, dangerous
 * methods, information disclosure, reflected input of the route's attack fields, and open redirects. Redirects are
 * never followed except a sign-in redirect to the same origin, so no request leaves the system under test. A
 * session's requests go through its {@link TargetClient}; the checks that produce findings are {@link RouteChecks}.
 */
@ApplicationScoped
public class AppTester implements Tester {

    public static final String NAME = "app";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> inactiveReason(Job job) {
        return job.appSessions().isEmpty() ? Optional.of("the job has no appScanner session") : Optional.empty();
    }

    @Override
    public List<String> sessions(Job job) {
        return job.appSessions().stream().map(AppSession::id).toList();
    }

    @Override
    public String plan(Job job) {
        String signIn = switch (job.auth().strategy()) {
            case FORM -> "sign in by posting the session's credentials to " + job.auth().route() + ", then ";
            case HEADER -> "send the " + job.auth().headerName() + " header with every request and ";
            case NONE -> "";
        };
        return job.appSessions().stream().map(session -> "Session " + session.id() + ": " + signIn + "test "
                        + session.routes().stream().map(r -> r.method() + " " + r.path()).collect(Collectors.joining(", "))
                        + " on " + job.target().baseUrl() + " for missing security headers (CSP, "
                        + "X-Content-Type-Options, frame protection, Referrer-Policy), cookie flags (Secure, HttpOnly, "
                        + "SameSite), CORS origin reflection, TRACE and PUT/DELETE, version and error disclosure, "
                        + "reflection of each attack field, and open redirects.")
                .collect(Collectors.joining("\n"));
    }

    @Override
    public void run(Job job, String sessionId, TesterContext context) throws Exception {
        AppSession session = job.appSessions().stream().filter(s -> s.id().equals(sessionId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No app session " + sessionId));
        new Scan(job, session, context).run();
    }

    /** One session's scan: its client keeps the session's cookies. */
    private static final class Scan {
        private final Job job;
        private final AppSession session;
        private final TesterContext context;
        private final TargetClient client;
        private final RouteChecks checks;
        private final String base;

        Scan(Job job, AppSession session, TesterContext context) {
            this.job = job;
            this.session = session;
            this.context = context;
            this.base = job.target().baseUrl();
            this.client = new TargetClient(job, context);
            this.checks = new RouteChecks(client, context, base);
        }

        void run() throws IOException, InterruptedException {
            context.progress("Testing " + session.routes().size() + " route(s) of " + base + " as session "
                    + session.id());
            if (job.auth().strategy() == Authentication.Strategy.FORM) {
                signIn();
            }
            int done = 0;
            for (Route route : session.routes()) {
                context.checkStopped();
                context.progress("Testing " + route.method() + " " + route.path());
                checks.testRoute(route);
                done++;
                context.pctComplete(done * 100 / session.routes().size());
            }
            context.progress("Tested " + done + " route(s) of session " + session.id());
        }

        private void signIn() throws IOException, InterruptedException {
            Authentication auth = job.auth();
            Map<String, String> form = new LinkedHashMap<>();
            form.put(auth.usernameField(), session.username());
            form.put(auth.passwordField(), session.password());
            Answer response = client.send(client.request(auth.route())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(TargetClient.encode(form))));
            checks.checkCookies(response, auth.route());
            String page = response.body();
            Optional<String> location = response.headers().firstValue("Location");
            if (response.statusCode() / 100 == 3 && location.isPresent()) {
                URI next = URI.create(base + auth.route()).resolve(location.get());
                if (client.sameOrigin(next)) {
                    page = page + client.send(HttpRequest.newBuilder(next).timeout(context.requestTimeout()).GET())
                            .body();
                }
            }
            if (auth.expectedPageSourceSuccess() != null && !page.contains(auth.expectedPageSourceSuccess())) {
                throw new IllegalStateException("Sign-in of session " + session.id() + " at " + auth.route()
                        + " failed: the expected page source did not appear");
            }
            context.progress("Signed in as the user of session " + session.id());
        }
    }
}
