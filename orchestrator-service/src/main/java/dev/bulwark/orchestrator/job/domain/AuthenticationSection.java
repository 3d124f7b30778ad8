package dev.bulwark.orchestrator.job.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.orchestrator.job.domain.Job.Authentication;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code data.attributes.sutAuthentication}: FormStandard (the route and fields the {@code app} tester posts a
 * session's credentials to), Header (one header sent with every request, within the rules below) or none.
 */
final class AuthenticationSection {

    /** RFC 9110 field-name: a token. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Visible ASCII, space and tab: no line breaks (header injection) and nothing the HTTP client would refuse. */
    private static final Pattern HEADER_VALUE = Pattern.compile("[\\t\\x20-\\x7E]*");
    static final int MAX_HEADER_NAME = 64;
    static final int MAX_HEADER_VALUE = 4096;
    /**
     * Headers the Header strategy may not send: hop-by-hop and framing headers (they would change how the request
     * is delivered rather than who sends it), and the ones the app tester sets itself for its probes.
     */
    static final Set<String> FORBIDDEN_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-connection", "proxy-authorization",
            "content-type", "origin", "user-agent");

    private AuthenticationSection() {
    }

    static Authentication read(JsonNode attributes, JobDocument document) {
        JsonNode auth = attributes.get("sutAuthentication");
        if (auth == null || auth.isNull()) {
            return Authentication.none();
        }
        String path = "data.attributes.sutAuthentication";
        if (!auth.isObject()) {
            document.violate(path, "must be an object");
            return Authentication.none();
        }
        String strategy = document.text(auth, "emissaryAuthenticationStrategy",
                path + ".emissaryAuthenticationStrategy", false);
        if (strategy == null || strategy.equals("NoAuthentication")) {
            return Authentication.none();
        }
        switch (strategy) {
            case "FormStandard" -> {
                String route = document.text(auth, "route", path + ".route", true);
                if (route != null && !route.startsWith("/")) {
                    document.violate(path + ".route", "must start with /");
                }
                return new Authentication(Authentication.Strategy.FORM, route,
                        document.text(auth, "usernameFieldLocater", path + ".usernameFieldLocater", true),
                        document.text(auth, "passwordFieldLocater", path + ".passwordFieldLocater", true),
                        document.text(auth, "expectedPageSourceSuccess", path + ".expectedPageSourceSuccess", false),
                        null, null);
            }
            case "Header" -> {
                String name = document.text(auth, "headerName", path + ".headerName", true);
                String value = document.text(auth, "headerValue", path + ".headerValue", true);
                if (name != null) {
                    headerNameProblem(name).ifPresent(problem -> document.violate(path + ".headerName", problem));
                }
                if (value != null) {
                    headerValueProblem(value).ifPresent(problem -> document.violate(path + ".headerValue", problem));
                }
                return new Authentication(Authentication.Strategy.HEADER, null, null, null, null, name, value);
            }
            default -> {
                document.violate(path + ".emissaryAuthenticationStrategy",
                        "must be FormStandard, Header or NoAuthentication");
                return Authentication.none();
            }
        }
    }

    private static Optional<String> headerNameProblem(String name) {
        if (name.length() > MAX_HEADER_NAME || !HEADER_NAME.matcher(name).matches()) {
            return Optional.of("must be a header name (letters, digits and !#$%&'*+.^_`|~-) of at most "
                    + MAX_HEADER_NAME + " characters");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (FORBIDDEN_HEADERS.contains(lower) || lower.startsWith("proxy-")) {
            return Optional.of("may not be " + name + ": hop-by-hop, framing and the headers the tester sets "
                    + "itself (" + String.join(", ", FORBIDDEN_HEADERS.stream().sorted().toList())
                    + ", Proxy-*) cannot be sent");
        }
        return Optional.empty();
    }

    private static Optional<String> headerValueProblem(String value) {
        if (value.length() > MAX_HEADER_VALUE) {
            return Optional.of("must be at most " + MAX_HEADER_VALUE + " characters");
        }
        if (!HEADER_VALUE.matcher(value).matches()) {
            return Optional.of("must be printable ASCII on one line (no control characters or line breaks)");
        }
        return Optional.empty();
    }
}
