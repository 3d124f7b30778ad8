package dev.bulwark.orchestrator.job.domain;

import dev.bulwark.common.security.Redacted;
import java.util.List;
import java.util.Optional;

/**
 * A validated test job: the system under test, how to authenticate to it, and the sessions each tester runs.
 * Parsed from purpleteam's JSON:API job format by {@link JobParser}.
 *
 * @param type        {@code BrowserApp} or {@code Api}
 * @param target      the one system the testers may send traffic to
 * @param auth        how the {@code app} tester signs in, {@link Authentication#none()} when it does not
 * @param appSessions one {@code app} tester session per {@code appScanner} entry
 * @param tlsSession  id of the {@code tlsScanner} entry, when the job asks for TLS testing
 */
public record Job(String type, Target target, Authentication auth, List<AppSession> appSessions,
                  Optional<String> tlsSession) {

    /** Where the system under test listens. */
    public record Target(String protocol, String host, int port) {

        public String baseUrl() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return protocol + "://" + h + ":" + port;
        }

        public boolean https() {
            return "https".equals(protocol);
        }
    }

    /**
     * Sign-in of the {@code app} tester: {@code FORM} posts a session's credentials to {@code route}, {@code HEADER}
     * sends {@code headerName: headerValue} with every request.
     */
    public record Authentication(Strategy strategy, String route, String usernameField, String passwordField,
                                 String expectedPageSourceSuccess, String headerName, String headerValue) {
        @Override
        public String toString() {
            return "Authentication[strategy=" + strategy + ", route=" + route + ", usernameField=" + usernameField
                    + ", passwordField=" + passwordField + ", expectedPageSourceSuccess="
                    + expectedPageSourceSuccess + ", headerName=" + headerName + ", headerValue="
                    + Redacted.of(headerValue) + "]";
        }

        public enum Strategy { NONE, FORM, HEADER }

        public static Authentication none() {
            return new Authentication(Strategy.NONE, null, null, null, null, null, null);
        }
    }

    /** One {@code appScanner} session: a user (when the job authenticates) and the routes it tests. */
    public record AppSession(String id, String username, String password, List<Route> routes) {
        @Override
        public String toString() {
            return "AppSession[id=" + id + ", username=" + username + ", password=" + Redacted.of(password)
                    + ", routes=" + routes + "]";
        }
    }

    /** A route of the system under test with the fields a form on it submits. */
    public record Route(String path, String method, List<AttackField> attackFields) {
    }

    public record AttackField(String name, String value) {
    }
}
