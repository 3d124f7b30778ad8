package dev.bulwark.orchestrator.job.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem.FieldViolation;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.job.domain.Job.AppSession;
import dev.bulwark.orchestrator.job.domain.Job.AttackField;
import dev.bulwark.orchestrator.job.domain.Job.Authentication;
import dev.bulwark.orchestrator.job.domain.Job.Route;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a purpleteam job (JSON:API: {@code data.attributes} describe the system under test, {@code included} holds
 * the {@code tlsScanner}, {@code appScanner} and {@code route} resources) and reports every problem at once, each
 * with the JSON path of the offending field.
 */
@ApplicationScoped
public class JobParser {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:]+");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
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

    private final ObjectMapper mapper;
    private final OrchestratorConfig config;

    JobParser(ObjectMapper mapper, OrchestratorConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    public Job parse(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new Invalid("The job is not valid JSON" + at);
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("The job must be a JSON object", List.of(new FieldViolation("", "must be an object")));
        }
        return new Reading().job(root);
    }

    /** One parse: collects violations while it walks the document. */
    private final class Reading {
        private final List<FieldViolation> violations = new ArrayList<>();

        Job job(JsonNode root) {
            JsonNode data = object(root, "data", "data");
            JsonNode attributes = data == null ? null : object(data, "attributes", "data.attributes");
            String type = data == null ? null : text(data, "type", "data.type", true);
            if (type != null && !type.equals("BrowserApp") && !type.equals("Api")) {
                violate("data.type", "must be BrowserApp or Api");
            }
            Job.Target target = attributes == null ? null : target(attributes);
            Authentication auth = attributes == null ? Authentication.none() : authentication(attributes);

            Map<String, Route> routes = new LinkedHashMap<>();
            Map<String, JsonNode> appScanners = new LinkedHashMap<>();
            Map<String, String> appScannerPaths = new LinkedHashMap<>();
            String tls = null;
            JsonNode included = root.get("included");
            if (included == null || !included.isArray() || included.isEmpty()) {
                violate("included", "must be a non-empty array of tlsScanner, appScanner and route resources");
            } else {
                for (int i = 0; i < included.size(); i++) {
                    String path = "included[" + i + "]";
                    JsonNode item = included.get(i);
                    if (!item.isObject()) {
                        violate(path, "must be an object");
                        continue;
                    }
                    String itemType = text(item, "type", path + ".type", true);
                    String id = text(item, "id", path + ".id", true);
                    if (itemType == null || id == null) {
                        continue;
                    }
                    switch (itemType) {
                        case "tlsScanner" -> {
                            if (tls != null) {
                                violate(path, "only one tlsScanner is allowed");
                            }
                            tls = id;
                        }
                        case "appScanner" -> {
                            if (appScanners.putIfAbsent(id, item) != null) {
                                violate(path + ".id", "duplicate appScanner id '" + id + "'");
                            }
                            appScannerPaths.put(id, path);
                        }
                        case "route" -> {
                            Route route = route(item, id, path);
                            if (route != null && routes.putIfAbsent(id, route) != null) {
                                violate(path + ".id", "duplicate route id '" + id + "'");
                            }
                        }
                        default -> violate(path + ".type", "must be tlsScanner, appScanner or route");
                    }
                }
                if (tls == null && appScanners.isEmpty()) {
                    violate("included", "must contain a tlsScanner or at least one appScanner");
                }
            }
            List<AppSession> sessions = new ArrayList<>();
            appScanners.forEach((id, item) -> {
                AppSession session = appSession(item, id, appScannerPaths.get(id), routes, auth, type);
                if (session != null) {
                    sessions.add(session);
                }
            });
            if (!violations.isEmpty()) {
                throw new Invalid("The job has " + violations.size() + " invalid field"
                        + (violations.size() == 1 ? "" : "s"), violations);
            }
            return new Job(type, target, auth, List.copyOf(sessions), Optional.ofNullable(tls));
        }

        private Job.Target target(JsonNode attributes) {
            String host = text(attributes, "sutIp", "data.attributes.sutIp", true);
            if (host != null && !HOST.matcher(host).matches()) {
                violate("data.attributes.sutIp", "must be a host name or an IP address");
                host = null;
            }
            if (host != null && config.allowedTargets().isPresent()
                    && config.allowedTargets().get().stream().noneMatch(host::equalsIgnoreCase)) {
                violate("data.attributes.sutIp", "is not one of the targets this service may test");
            }
            JsonNode port = attributes.get("sutPort");
            int portNumber = 0;
            if (port == null || !port.canConvertToInt() || !port.isIntegralNumber()
                    || port.asInt() < 1 || port.asInt() > 65535) {
                violate("data.attributes.sutPort", "must be an integer from 1 to 65535");
            } else {
                portNumber = port.asInt();
            }
            String protocol = text(attributes, "sutProtocol", "data.attributes.sutProtocol", true);
            if (protocol != null && !protocol.equals("http") && !protocol.equals("https")) {
                violate("data.attributes.sutProtocol", "must be http or https");
            }
            return host == null || protocol == null || portNumber == 0 ? null
                    : new Job.Target(protocol, host.toLowerCase(Locale.ROOT), portNumber);
        }

        private Authentication authentication(JsonNode attributes) {
            JsonNode auth = attributes.get("sutAuthentication");
            if (auth == null || auth.isNull()) {
                return Authentication.none();
            }
            String path = "data.attributes.sutAuthentication";
            if (!auth.isObject()) {
                violate(path, "must be an object");
                return Authentication.none();
            }
            String strategy = text(auth, "emissaryAuthenticationStrategy", path + ".emissaryAuthenticationStrategy",
                    false);
            if (strategy == null || strategy.equals("NoAuthentication")) {
                return Authentication.none();
            }
            switch (strategy) {
                case "FormStandard" -> {
                    String route = text(auth, "route", path + ".route", true);
                    if (route != null && !route.startsWith("/")) {
                        violate(path + ".route", "must start with /");
                    }
                    return new Authentication(Authentication.Strategy.FORM, route,
                            text(auth, "usernameFieldLocater", path + ".usernameFieldLocater", true),
                            text(auth, "passwordFieldLocater", path + ".passwordFieldLocater", true),
                            text(auth, "expectedPageSourceSuccess", path + ".expectedPageSourceSuccess", false),
                            null, null);
                }
                case "Header" -> {
                    String name = text(auth, "headerName", path + ".headerName", true);
                    String value = text(auth, "headerValue", path + ".headerValue", true);
                    if (name != null) {
                        headerNameProblem(name).ifPresent(problem -> violate(path + ".headerName", problem));
                    }
                    if (value != null) {
                        headerValueProblem(value).ifPresent(problem -> violate(path + ".headerValue", problem));
                    }
                    return new Authentication(Authentication.Strategy.HEADER, null, null, null, null, name, value);
                }
                default -> {
                    violate(path + ".emissaryAuthenticationStrategy",
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

        private Route route(JsonNode item, String id, String path) {
            if (!id.startsWith("/")) {
                violate(path + ".id", "a route id is its path and must start with /");
            }
            JsonNode attributes = object(item, "attributes", path + ".attributes");
            if (attributes == null) {
                return null;
            }
            String method = text(attributes, "method", path + ".attributes.method", false);
            method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                violate(path + ".attributes.method", "must be one of " + String.join(", ", METHODS.stream().sorted()
                        .toList()));
            }
            List<AttackField> fields = new ArrayList<>();
            JsonNode attackFields = attributes.get("attackFields");
            if (attackFields != null && !attackFields.isArray()) {
                violate(path + ".attributes.attackFields", "must be an array");
            } else if (attackFields != null) {
                for (int i = 0; i < attackFields.size(); i++) {
                    String fieldPath = path + ".attributes.attackFields[" + i + "]";
                    JsonNode field = attackFields.get(i);
                    if (!field.isObject()) {
                        violate(fieldPath, "must be an object with name and value");
                        continue;
                    }
                    String name = text(field, "name", fieldPath + ".name", true);
                    JsonNode value = field.get("value");
                    if (value != null && !value.isValueNode()) {
                        violate(fieldPath + ".value", "must be a string");
                    }
                    if (name != null) {
                        fields.add(new AttackField(name, value == null || value.isNull() ? "" : value.asText()));
                    }
                }
            }
            return new Route(id, method, List.copyOf(fields));
        }

        private AppSession appSession(JsonNode item, String id, String path, Map<String, Route> routes,
                                      Authentication auth, String jobType) {
            JsonNode attributes = item.path("attributes");
            String username = attributes.path("username").isTextual() ? attributes.get("username").asText() : null;
            String password = attributes.path("password").isTextual() ? attributes.get("password").asText() : null;
            if (auth.strategy() == Authentication.Strategy.FORM && (username == null || password == null)) {
                violate(path + ".attributes", "username and password are required by FormStandard authentication");
            }
            List<Route> sessionRoutes = new ArrayList<>();
            JsonNode related = item.path("relationships").path("data");
            if (!related.isMissingNode() && !related.isArray()) {
                violate(path + ".relationships.data", "must be an array of route references");
            }
            for (int i = 0; i < related.size(); i++) {
                JsonNode ref = related.get(i);
                String refPath = path + ".relationships.data[" + i + "]";
                if (!"route".equals(ref.path("type").asText())) {
                    violate(refPath + ".type", "must be route");
                    continue;
                }
                Route route = routes.get(ref.path("id").asText());
                if (route == null) {
                    violate(refPath + ".id", "no route '" + ref.path("id").asText() + "' in included");
                } else {
                    sessionRoutes.add(route);
                }
            }
            if (sessionRoutes.isEmpty()) {
                if ("BrowserApp".equals(jobType)) {
                    violate(path + ".relationships.data", "a BrowserApp session needs at least one route");
                    return null;
                }
                sessionRoutes.add(new Route("/", "GET", List.of()));
            }
            return new AppSession(id, username, password, List.copyOf(sessionRoutes));
        }

        private JsonNode object(JsonNode parent, String name, String path) {
            JsonNode node = parent.get(name);
            if (node == null || !node.isObject()) {
                violate(path, "is required and must be an object");
                return null;
            }
            return node;
        }

        private String text(JsonNode parent, String name, String path, boolean required) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                if (required) {
                    violate(path, "is required");
                }
                return null;
            }
            if (!node.isTextual() || node.asText().isBlank()) {
                violate(path, "must be a non-empty string");
                return null;
            }
            return node.asText();
        }

        private void violate(String field, String message) {
            violations.add(new FieldViolation(field, message));
        }
    }
}
