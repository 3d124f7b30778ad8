package dev.bulwark.orchestrator.job.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.orchestrator.job.domain.Job.AppSession;
import dev.bulwark.orchestrator.job.domain.Job.AttackField;
import dev.bulwark.orchestrator.job.domain.Job.Authentication;
import dev.bulwark.orchestrator.job.domain.Job.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code app} tester's part of {@code included}: {@code route} resources (a path, a method and the attack
 * fields of its form) and {@code appScanner} resources (a session's user and the routes it references).
 */
final class AppScannerSection {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private AppScannerSection() {
    }

    static Route route(JsonNode item, String id, String path, JobDocument document) {
        if (!id.startsWith("/")) {
            document.violate(path + ".id", "a route id is its path and must start with /");
        }
        JsonNode attributes = document.object(item, "attributes", path + ".attributes");
        if (attributes == null) {
            return null;
        }
        String method = document.text(attributes, "method", path + ".attributes.method", false);
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            document.violate(path + ".attributes.method", "must be one of " + String.join(", ", METHODS.stream()
                    .sorted().toList()));
        }
        List<AttackField> fields = new ArrayList<>();
        JsonNode attackFields = attributes.get("attackFields");
        if (attackFields != null && !attackFields.isArray()) {
            document.violate(path + ".attributes.attackFields", "must be an array");
        } else if (attackFields != null) {
            for (int i = 0; i < attackFields.size(); i++) {
                String fieldPath = path + ".attributes.attackFields[" + i + "]";
                JsonNode field = attackFields.get(i);
                if (!field.isObject()) {
                    document.violate(fieldPath, "must be an object with name and value");
                    continue;
                }
                String name = document.text(field, "name", fieldPath + ".name", true);
                JsonNode value = field.get("value");
                if (value != null && !value.isValueNode()) {
                    document.violate(fieldPath + ".value", "must be a string");
                }
                if (name != null) {
                    fields.add(new AttackField(name, value == null || value.isNull() ? "" : value.asText()));
                }
            }
        }
        return new Route(id, method, List.copyOf(fields));
    }

    static AppSession appSession(JsonNode item, String id, String path, Map<String, Route> routes,
                                 Authentication auth, String jobType, JobDocument document) {
        JsonNode attributes = item.path("attributes");
        String username = attributes.path("username").isTextual() ? attributes.get("username").asText() : null;
        String password = attributes.path("password").isTextual() ? attributes.get("password").asText() : null;
        if (auth.strategy() == Authentication.Strategy.FORM && (username == null || password == null)) {
            document.violate(path + ".attributes", "username and password are required by FormStandard authentication");
        }
        List<Route> sessionRoutes = new ArrayList<>();
        JsonNode related = item.path("relationships").path("data");
        if (!related.isMissingNode() && !related.isArray()) {
            document.violate(path + ".relationships.data", "must be an array of route references");
        }
        for (int i = 0; i < related.size(); i++) {
            JsonNode ref = related.get(i);
            String refPath = path + ".relationships.data[" + i + "]";
            if (!"route".equals(ref.path("type").asText())) {
                document.violate(refPath + ".type", "must be route");
                continue;
            }
            Route route = routes.get(ref.path("id").asText());
            if (route == null) {
                document.violate(refPath + ".id", "no route '" + ref.path("id").asText() + "' in included");
            } else {
                sessionRoutes.add(route);
            }
        }
        if (sessionRoutes.isEmpty()) {
            if ("BrowserApp".equals(jobType)) {
                document.violate(path + ".relationships.data", "a BrowserApp session needs at least one route");
                return null;
            }
            sessionRoutes.add(new Route("/", "GET", List.of()));
        }
        return new AppSession(id, username, password, List.copyOf(sessionRoutes));
    }
}
