package dev.bulwark.orchestrator.tester.domain;

import dev.bulwark.orchestrator.job.domain.Job.AttackField;
import dev.bulwark.orchestrator.job.domain.Job.Route;
import dev.bulwark.orchestrator.tester.domain.Finding.Severity;
import dev.bulwark.orchestrator.tester.domain.TargetClient.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks of the {@code app} tester, each reporting what it finds through {@link TesterContext#finding}: security
 * headers, cookie flags, disclosing headers, CORS, dangerous methods, error pages, reflected input and open
 * redirects. Every request goes through the session's {@link TargetClient}.
 */
final class RouteChecks {

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

    private final TargetClient client;
    private final TesterContext context;
    private final String base;

    RouteChecks(TargetClient client, TesterContext context, String base) {
        this.client = client;
        this.context = context;
        this.base = base;
    }

    /** Runs every check against one route. */
    void testRoute(Route route) throws IOException, InterruptedException {
        String location = base + route.path();
        Answer page = client.send(client.request(route.path()).GET());
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

    void checkCookies(Answer response, String path) {
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
        Answer response = client.send(client.request(route.path()).header("Origin", PROBE_ORIGIN).GET());
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
        Answer trace = client.send(client.request(route.path()).header("X-Bulwark-Trace", marker)
                .method("TRACE", HttpRequest.BodyPublishers.noBody()));
        if (trace.statusCode() / 100 == 2) {
            context.finding(new Finding("trace-enabled", Severity.MEDIUM,
                    "TRACE is enabled (cross-site tracing)", location, "TRACE → " + trace.statusCode()
                    + (trace.body().contains(marker) ? ", request headers echoed" : "")));
        }
        Answer options = client.send(client.request(route.path())
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
        Answer response = client.send(client.request(path).GET());
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
        Answer response = client.submit(route, values);
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
            Answer response = client.send(client.request(route.path() + "?"
                    + TargetClient.encode(Map.of(parameter, probe))).GET());
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

    private static String marker() {
        return "bwk" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    private static String excerpt(String body, int at) {
        int from = Math.max(0, at - 40);
        int to = Math.min(body.length(), at + 120);
        return body.substring(from, to).replaceAll("\\s+", " ");
    }
}
