package dev.bulwark.orchestrator.support;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Job files in purpleteam's format for the local test targets. */
public final class Jobs {

    private Jobs() {
    }

    /** An app job: one session {@code lowPrivUser} signing in by form, testing {@code routes} with two fields. */
    public static String app(int port, String... routes) {
        return job("BrowserApp", "http", port, true, false, List.of(routes));
    }

    /** An app job without sign-in. */
    public static String appWithoutSignIn(int port, String... routes) {
        return job("BrowserApp", "http", port, false, false, List.of(routes));
    }

    /** A job with only a tls scanner. */
    public static String tls(int port) {
        return job("BrowserApp", "https", port, false, true, List.of());
    }

    public static String job(String type, String protocol, int port, boolean signIn, boolean tls,
                             List<String> routes) {
        String auth = signIn ? """
                "sutAuthentication": {"sitesTreeSutAuthenticationPopulationStrategy": "FormStandard",
                  "emissaryAuthenticationStrategy": "FormStandard", "route": "/login",
                  "usernameFieldLocater": "userName", "passwordFieldLocater": "password",
                  "submit": "btn btn-danger", "expectedPageSourceSuccess": "Log Out"},
                """ : "";
        List<String> included = new ArrayList<>();
        if (tls) {
            included.add("""
                    {"type": "tlsScanner", "id": "NA", "attributes": {"tlsScannerSeverity": "LOW", "alertThreshold": 3}}""");
        }
        if (!routes.isEmpty()) {
            included.add("""
                    {"type": "appScanner", "id": "lowPrivUser",
                     "attributes": {"username": "user1", "password": "User1_123", "alertThreshold": 12},
                     "relationships": {"data": [%s]}}""".formatted(routes.stream()
                    .map(r -> "{\"type\": \"route\", \"id\": \"" + r + "\"}").collect(Collectors.joining(", "))));
            for (String route : routes) {
                included.add("""
                        {"type": "route", "id": "%s", "attributes": {"attackFields": [
                          {"name": "firstName", "value": "PurpleJohn", "visible": true},
                          {"name": "lastName", "value": "PurpleDoe", "visible": true}],
                         "method": "POST", "submit": "submit"}}""".formatted(route));
            }
        }
        return """
                {"data": {"type": "%s", "attributes": {"version": "4.0.0-alpha.3", %s
                  "sutIp": "127.0.0.1", "sutPort": %d, "sutProtocol": "%s", "browser": "chrome"}},
                 "included": [%s]}""".formatted(type, auth, port, protocol, String.join(",\n", included));
    }
}
