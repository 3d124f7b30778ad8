package dev.bulwark.orchestrator.job.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem.FieldViolation;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.job.domain.Job.AppSession;
import dev.bulwark.orchestrator.job.domain.Job.Authentication;
import dev.bulwark.orchestrator.job.domain.Job.Route;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a purpleteam job (JSON:API: {@code data.attributes} describe the system under test, {@code included} holds
 * the {@code tlsScanner}, {@code appScanner} and {@code route} resources) and reports every problem at once, each
 * with the JSON path of the offending field. The authentication is read by {@link AuthenticationSection}, routes
 * and app sessions by {@link AppScannerSection}.
 */
@ApplicationScoped
public class JobParser {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:]+");

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
        return job(root, new JobDocument());
    }

    private Job job(JsonNode root, JobDocument document) {
        JsonNode data = document.object(root, "data", "data");
        JsonNode attributes = data == null ? null : document.object(data, "attributes", "data.attributes");
        String type = data == null ? null : document.text(data, "type", "data.type", true);
        if (type != null && !type.equals("BrowserApp") && !type.equals("Api")) {
            document.violate("data.type", "must be BrowserApp or Api");
        }
        Job.Target target = attributes == null ? null : target(attributes, document);
        Authentication auth = attributes == null ? Authentication.none()
                : AuthenticationSection.read(attributes, document);

        Map<String, Route> routes = new LinkedHashMap<>();
        Map<String, JsonNode> appScanners = new LinkedHashMap<>();
        Map<String, String> appScannerPaths = new LinkedHashMap<>();
        String tls = null;
        JsonNode included = root.get("included");
        if (included == null || !included.isArray() || included.isEmpty()) {
            document.violate("included", "must be a non-empty array of tlsScanner, appScanner and route resources");
        } else {
            for (int i = 0; i < included.size(); i++) {
                String path = "included[" + i + "]";
                JsonNode item = included.get(i);
                if (!item.isObject()) {
                    document.violate(path, "must be an object");
                    continue;
                }
                String itemType = document.text(item, "type", path + ".type", true);
                String id = document.text(item, "id", path + ".id", true);
                if (itemType == null || id == null) {
                    continue;
                }
                switch (itemType) {
                    case "tlsScanner" -> {
                        if (tls != null) {
                            document.violate(path, "only one tlsScanner is allowed");
                        }
                        tls = id;
                    }
                    case "appScanner" -> {
                        if (appScanners.putIfAbsent(id, item) != null) {
                            document.violate(path + ".id", "duplicate appScanner id '" + id + "'");
                        }
                        appScannerPaths.put(id, path);
                    }
                    case "route" -> {
                        Route route = AppScannerSection.route(item, id, path, document);
                        if (route != null && routes.putIfAbsent(id, route) != null) {
                            document.violate(path + ".id", "duplicate route id '" + id + "'");
                        }
                    }
                    default -> document.violate(path + ".type", "must be tlsScanner, appScanner or route");
                }
            }
            if (tls == null && appScanners.isEmpty()) {
                document.violate("included", "must contain a tlsScanner or at least one appScanner");
            }
        }
        List<AppSession> sessions = new ArrayList<>();
        appScanners.forEach((id, item) -> {
            AppSession session = AppScannerSection.appSession(item, id, appScannerPaths.get(id), routes, auth,
                    type, document);
            if (session != null) {
                sessions.add(session);
            }
        });
        document.throwIfInvalid();
        return new Job(type, target, auth, List.copyOf(sessions), Optional.ofNullable(tls));
    }

    private Job.Target target(JsonNode attributes, JobDocument document) {
        String host = document.text(attributes, "sutIp", "data.attributes.sutIp", true);
        if (host != null && !HOST.matcher(host).matches()) {
            document.violate("data.attributes.sutIp", "must be a host name or an IP address");
            host = null;
        }
        if (host != null && config.allowedTargets().isPresent()
                && config.allowedTargets().get().stream().noneMatch(host::equalsIgnoreCase)) {
            document.violate("data.attributes.sutIp", "is not one of the targets this service may test");
        }
        JsonNode port = attributes.get("sutPort");
        int portNumber = 0;
        if (port == null || !port.canConvertToInt() || !port.isIntegralNumber()
                || port.asInt() < 1 || port.asInt() > 65535) {
            document.violate("data.attributes.sutPort", "must be an integer from 1 to 65535");
        } else {
            portNumber = port.asInt();
        }
        String protocol = document.text(attributes, "sutProtocol", "data.attributes.sutProtocol", true);
        if (protocol != null && !protocol.equals("http") && !protocol.equals("https")) {
            document.violate("data.attributes.sutProtocol", "must be http or https");
        }
        return host == null || protocol == null || portNumber == 0 ? null
                : new Job.Target(protocol, host.toLowerCase(Locale.ROOT), portNumber);
    }
}
