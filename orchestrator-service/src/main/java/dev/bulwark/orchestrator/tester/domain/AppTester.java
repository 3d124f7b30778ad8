package dev.bulwark.orchestrator.tester.domain;

import dev.bulwark.common.egress.TrustAll;
import dev.bulwark.orchestrator.job.domain.Job.AppSession;
import dev.bulwark.orchestrator.job.domain.Job.AttackField;
import dev.bulwark.orchestrator.job.domain.Job.Authentication;
import dev.bulwark.orchestrator.job.domain.Job.Route;
import dev.bulwark.orchestrator.job.domain.Job;
import dev.bulwark.orchestrator.tester.domain.Finding.Severity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tests each route of an {@code appScanner} session over HTTP: security headers, cookie flags, CORS, dangerous
 * methods, information disclosure, reflected input of the route's attack fields, and open redirects. Redirects are
 * never followed except a sign-in redirect to the same origin, so no request leaves the system under test.
 */
@ApplicationScoped
public class AppTester implements Tester {

    public static final String NAME = "app";
    static final String PROBE_ORIGIN = "https://bulwark-cors-probe.invalid";
    static final String PROBE_REDIRECT_HOST = "bulwark-redirect-probe.invalid";
    private static final List<String> REDIRECT_PARAMETERS = List.of("url", "redirect", "redirect_uri", "redirectUrl",
            "next", "return", "returnUrl", "returnTo", "dest", "destination", "continue", "goto", "target");
    private static final Pattern VERSIONED = Pattern.compile(".*\\d.*");
    private static final Pattern ERROR_DISCLOSURE = Pattern.compile(
            "\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\([\\w$]+\\.java:\\d+\\)|Traceback \\(most recent call last\\)"
                    + "|\\bSQLSTATE\\[|\\bORA-\\d{5}|<b>(Fatal error|Warning)</b>:|\\bSystem\\.\\w+Exception\\b"
                    + "|Exception in thread|\\bstack ?trace\\b", Pattern.CASE_INSENSITIVE);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CHARSET = Pattern.compile("charset=\"?([\\w.:-]+)", Pattern.CASE_INSENSITIVE);

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

    /** One session's scan: its HTTP client keeps the session's cookies. */
    private final class Scan {
        private final Job job;
        private final AppSession session;
        private final TesterContext context;
        private final HttpClient client;
        private final String base;
        private boolean truncationReported;

        Scan(Job job, AppSession session, TesterContext context) {
            this.job = job;
            this.session = session;
            this.context = context;
            this.base = job.target().baseUrl();
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(context.requestTimeout())
                    .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
            if (job.target().https()) {
                builder.sslContext(TrustAll.context("TLS"));
            }
            this.client = builder.build();
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
                testRoute(route);
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
            Answer response = send(request(auth.route())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
            checkCookies(response, auth.route());
            String page = response.body();
            Optional<String> location = response.headers().firstValue("Location");
            if (response.statusCode() / 100 == 3 && location.isPresent()) {
                URI next = URI.create(base + auth.route()).resolve(location.get());
                if (sameOrigin(next)) {
                    page = page + send(HttpRequest.newBuilder(next).timeout(context.requestTimeout()).GET()).body();
                }
            }
            if (auth.expectedPageSourceSuccess() != null && !page.contains(auth.expectedPageSourceSuccess())) {
                throw new IllegalStateException("Sign-in of session " + session.id() + " at " + auth.route()
                        + " failed: the expected page source did not appear");
            }
            context.progress("Signed in as the user of session " + session.id());
        }

        private void testRoute(Route route) throws IOException, InterruptedException {
            String location = base + route.path();
            Answer page = send(request(route.path()).GET());
            checkSecurityHeaders(page, location);
            checkCookies(page, route.path());
            checkDisclosingHeaders(page, location);
            context.checkStopped();
            checkCors(route, location);
            checkMethods(route, location);
            context.checkStopped();
            checkErrorPage(route);
            for (AttackField field : route.attackFields()) {
                context.checkStopped();
                checkReflection(route, field, location);
            }
            checkOpenRedirects(route, location);
        }

        private void checkSecurityHeaders(Answer response, String location) {
            var headers = response.headers();
            Optional<String> csp = headers.firstValue("Content-Security-Policy");
            if (csp.isEmpty()) {
                context.finding(new Finding("missing-csp", Severity.MEDIUM, "No Content-Security-Policy header",
                        location, "response " + response.statusCode() + " without Content-Security-Policy"));
            }
            if (!headers.firstValue("X-Content-Type-Options").map(v -> v.trim().equalsIgnoreCase("nosniff"))
                    .orElse(false)) {
                context.finding(new Finding("missing-x-content-type-options", Severity.LOW,
                        "X-Content-Type-Options is not nosniff", location,
                        "X-Content-Type-Options: " + headers.firstValue("X-Content-Type-Options").orElse("(absent)")));
            }
            boolean framing = headers.firstValue("X-Frame-Options").isPresent()
                    || csp.map(v -> v.toLowerCase(Locale.ROOT).contains("frame-ancestors")).orElse(false);
            if (!framing) {
                context.finding(new Finding("missing-frame-protection", Severity.MEDIUM,
                        "Neither X-Frame-Options nor CSP frame-ancestors: the page can be framed (clickjacking)",
                        location, "no X-Frame-Options, no frame-ancestors directive"));
            }
            if (headers.firstValue("Referrer-Policy").isEmpty()) {
                context.finding(new Finding("missing-referrer-policy", Severity.LOW, "No Referrer-Policy header",
                        location, "response " + response.statusCode() + " without Referrer-Policy"));
            }
        }

        private void checkCookies(Answer response, String path) {
            for (String header : response.headers().allValues("Set-Cookie")) {
                String name = header.split("=", 2)[0].trim();
                String attributes = header.toLowerCase(Locale.ROOT);
                String location = base + " (cookie " + name + ")";
                String evidence = path + " answered Set-Cookie: " + name + "=…" + redactValue(header);
                if (!Pattern.compile(";\\s*secure\\s*(;|$)").matcher(attributes).find()) {
                    context.finding(new Finding("cookie-without-secure", Severity.MEDIUM,
                            "Cookie " + name + " is sent without the Secure flag", location, evidence));
                }
                if (!Pattern.compile(";\\s*httponly\\s*(;|$)").matcher(attributes).find()) {
                    context.finding(new Finding("cookie-without-httponly", Severity.MEDIUM,
                            "Cookie " + name + " is readable by scripts (no HttpOnly flag)", location, evidence));
                }
                if (!Pattern.compile(";\\s*samesite\\s*=\\s*(strict|lax)").matcher(attributes).find()) {
                    context.finding(new Finding("cookie-without-samesite", Severity.LOW,
                            "Cookie " + name + " has no SameSite=Strict or Lax", location, evidence));
                }
            }
        }

        /** Keeps a cookie's attributes as evidence but never its value, which may be a session secret. */
        private String redactValue(String setCookie) {
            int semicolon = setCookie.indexOf(';');
            return semicolon < 0 ? "" : setCookie.substring(semicolon);
        }

        private void checkDisclosingHeaders(Answer response, String location) {
            for (String name : List.of("Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version")) {
                response.headers().firstValue(name)
                        .filter(value -> !name.equals("Server") || VERSIONED.matcher(value).matches())
                        .ifPresent(value -> context.finding(new Finding("header-information-disclosure", Severity.LOW,
                                "The " + name + " header discloses the software in use", location,
                                name + ": " + value)));
            }
        }

        private void checkCors(Route route, String location) throws IOException, InterruptedException {
            Answer response = send(request(route.path()).header("Origin", PROBE_ORIGIN).GET());
            Optional<String> allowed = response.headers().firstValue("Access-Control-Allow-Origin");
            boolean credentials = response.headers().firstValue("Access-Control-Allow-Credentials")
                    .map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
            if (allowed.map(v -> v.trim().equals(PROBE_ORIGIN) || v.trim().equals("null")).orElse(false)) {
                context.finding(new Finding("cors-reflected-origin", credentials ? Severity.HIGH : Severity.MEDIUM,
                        "Any origin may read this route cross-site" + (credentials ? ", with credentials" : ""),
                        location, "Origin: " + PROBE_ORIGIN + " → Access-Control-Allow-Origin: " + allowed.get()
                        + (credentials ? ", Access-Control-Allow-Credentials: true" : "")));
            } else if (allowed.map(v -> v.trim().equals("*")).orElse(false)) {
                context.finding(new Finding("cors-wildcard-origin", Severity.LOW,
                        "Access-Control-Allow-Origin: * lets every site read this route", location,
                        "Access-Control-Allow-Origin: *"));
            }
        }

        private void checkMethods(Route route, String location) throws IOException, InterruptedException {
            String marker = marker();
            Answer trace = send(request(route.path()).header("X-Bulwark-Trace", marker)
                    .method("TRACE", HttpRequest.BodyPublishers.noBody()));
            if (trace.statusCode() / 100 == 2) {
                context.finding(new Finding("trace-enabled", Severity.MEDIUM,
                        "TRACE is enabled (cross-site tracing)", location, "TRACE → " + trace.statusCode()
                        + (trace.body().contains(marker) ? ", request headers echoed" : "")));
            }
            Answer options = send(request(route.path())
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            String allow = String.join(",", options.headers().allValues("Allow")).toUpperCase(Locale.ROOT);
            List<String> dangerous = new ArrayList<>();
            for (String method : List.of("PUT", "DELETE", "TRACE")) {
                if (Pattern.compile("\\b" + method + "\\b").matcher(allow).find()) {
                    dangerous.add(method);
                }
            }
            dangerous.remove(route.method());
            if (!dangerous.isEmpty()) {
                context.finding(new Finding("dangerous-method-allowed", Severity.LOW,
                        "The route allows " + String.join(", ", dangerous), location, "Allow: " + allow));
            }
        }

        private void checkErrorPage(Route route) throws IOException, InterruptedException {
            String path = route.path().replaceAll("/+$", "") + "/bulwark-missing-" + marker() + "%27%22";
            Answer response = send(request(path).GET());
            String body = response.body();
            var matcher = ERROR_DISCLOSURE.matcher(body == null ? "" : body);
            if (matcher.find()) {
                String snippet = excerpt(body, matcher.start());
                context.finding(new Finding("error-page-disclosure", Severity.MEDIUM,
                        "An error page discloses internals (stack trace or database error)", base + path,
                        "status " + response.statusCode() + ": " + snippet));
            }
        }

        private void checkReflection(Route route, AttackField field, String location)
                throws IOException, InterruptedException {
            String payload = marker() + "\"'<bwkx>";
            Map<String, String> values = new LinkedHashMap<>();
            route.attackFields().forEach(f -> values.put(f.name(), f.value()));
            values.put(field.name(), payload);
            Answer response = submit(route, values);
            String body = response.body() == null ? "" : response.body();
            int at = body.indexOf(payload);
            if (at >= 0) {
                context.finding(new Finding("reflected-input", Severity.HIGH,
                        "Field " + field.name() + " is reflected unescaped (cross-site scripting)",
                        location + " (field " + field.name() + ")", excerpt(body, at)));
            }
        }

        private void checkOpenRedirects(Route route, String location) throws IOException, InterruptedException {
            String probe = "https://" + PROBE_REDIRECT_HOST + "/" + marker();
            for (String parameter : REDIRECT_PARAMETERS) {
                context.checkStopped();
                Answer response = send(request(route.path() + "?" + encode(Map.of(parameter, probe)))
                        .GET());
                Optional<String> target = response.headers().firstValue("Location");
                if (response.statusCode() / 100 == 3 && target.map(this::pointsToProbe).orElse(false)) {
                    context.finding(new Finding("open-redirect", Severity.HIGH,
                            "Parameter " + parameter + " redirects to any site", location + "?" + parameter + "=",
                            response.statusCode() + " Location: " + target.get()));
                }
            }
        }

        private boolean pointsToProbe(String location) {
            try {
                URI uri = URI.create(base).resolve(location.trim());
                return PROBE_REDIRECT_HOST.equalsIgnoreCase(uri.getHost());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private Answer submit(Route route, Map<String, String> values)
                throws IOException, InterruptedException {
            if (route.method().equals("GET") || route.method().equals("DELETE")) {
                return send(request(route.path() + "?" + encode(values)).method(route.method(),
                        HttpRequest.BodyPublishers.noBody()));
            }
            return send(request(route.path()).header("Content-Type", "application/x-www-form-urlencoded")
                    .method(route.method(), HttpRequest.BodyPublishers.ofString(encode(values))));
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(context.requestTimeout())
                    .header("User-Agent", "Bulwark-app-tester");
            if (job.auth().strategy() == Authentication.Strategy.HEADER) {
                builder.header(job.auth().headerName(), job.auth().headerValue());
            }
            return builder;
        }

        /**
         * Sends a request once the egress policy allowed its destination, and reads at most
         * {@code bulwark.egress.max-body} of the answer: the rest is never read.
         */
        private Answer send(HttpRequest.Builder builder) throws IOException, InterruptedException {
            HttpRequest request = builder.build();
            context.checkEgress(request.uri());
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int max = (int) Math.min(Integer.MAX_VALUE - 8, context.maxResponseBody());
            byte[] body;
            boolean cut;
            try (InputStream in = response.body()) {
                body = in.readNBytes(max);
                cut = in.read() != -1;
            }
            if (cut && !truncationReported) {
                truncationReported = true;
                context.progress("A response of " + response.uri().getPath() + " is longer than " + max
                        + " bytes: only its beginning is examined");
            }
            return new Answer(response.statusCode(), response.headers(), new String(body, charset(response)));
        }

        private boolean sameOrigin(URI uri) {
            URI origin = URI.create(base);
            return origin.getScheme().equalsIgnoreCase(uri.getScheme())
                    && origin.getHost().equalsIgnoreCase(uri.getHost()) && origin.getPort() == uri.getPort();
        }
    }

    /** What the tests look at of a response; the body is cut at {@code bulwark.egress.max-body}. */
    private record Answer(int statusCode, HttpHeaders headers, String body) {
    }

    private static Charset charset(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").map(CHARSET::matcher).filter(Matcher::find)
                .map(m -> {
                    try {
                        return Charset.forName(m.group(1));
                    } catch (IllegalArgumentException e) {
                        return StandardCharsets.UTF_8;
                    }
                }).orElse(StandardCharsets.UTF_8);
    }

    private static String marker() {
        return "bwk" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    private static String excerpt(String body, int at) {
        int from = Math.max(0, at - 40);
        int to = Math.min(body.length(), at + 120);
        return body.substring(from, to).replaceAll("\\s+", " ");
    }

    private static String encode(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue() == null ? "" : e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
