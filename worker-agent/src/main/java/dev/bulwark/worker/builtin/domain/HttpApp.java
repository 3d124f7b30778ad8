package dev.bulwark.worker.builtin.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.common.egress.BodyTooLarge;
import dev.bulwark.common.egress.EgressHttp;
import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.common.egress.EgressRefused;
import dev.bulwark.common.egress.EgressResponse;
import dev.bulwark.common.egress.TrustAll;
import dev.bulwark.common.tools.Parameters;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.RunControl;
import dev.bulwark.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Built-in app {@code http}, action {@code request}: one HTTP exchange. Parameters {@code method} (default GET),
 * {@code url} (http or https), {@code headers} and {@code query} (objects), {@code body} (a string is sent as is,
 * other JSON serialised with {@code Content-Type: application/json}), {@code timeoutSeconds} (default: the task's),
 * {@code verifyTls} (default true). workflow-service has already turned a credential into request headers, and an
 * OpenAPI app's action into such a request, so this one runner serves both. Output {@code {"status","headers","body"}},
 * the body parsed when the response is JSON. Any status is a result; only an exchange that could not complete
 * (refused by the egress policy, refused, timed out, too large, TLS refused) fails the action.
 * <p>
 * Every hop, redirects included, goes through the suite's {@link EgressPolicy} for the task's organisation: the
 * destination is resolved and each address checked (loopback, private, link-local… refused unless allow-listed). A
 * redirect to another origin carries none of the headers the task set except {@link #NOT_SENSITIVE} ones: the
 * agent cannot tell which of them workflow-service made from a credential.
 */
@ApplicationScoped
public class HttpApp implements InProcessApp {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Headers of a task that follow a redirect to another origin; all others stay with the first one. */
    static final Set<String> NOT_SENSITIVE = Set.of("accept", "accept-language", "content-type", "user-agent");

    private final ObjectMapper json;
    private final EgressPolicy egress;
    private final long maxResponseBytes;
    private final HttpClient verifying;
    private final HttpClient trustingAll;

    @Inject
    HttpApp(ObjectMapper json, EgressPolicy egress, WorkerConfig config) {
        this(json, egress, config.http().maxResponseSize().asLongValue(), config.http().connectTimeout());
    }

    public HttpApp(ObjectMapper json, EgressPolicy egress, long maxResponseBytes, Duration connectTimeout) {
        this.json = json;
        this.egress = egress;
        this.maxResponseBytes = maxResponseBytes;
        this.verifying = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.trustingAll = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).sslContext(TrustAll.context("TLS")).build();
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public JsonNode run(String org, String action, JsonNode parameters, RunControl control)
            throws ActionFailed, InterruptedException {
        if (!"request".equals(action)) {
            throw new ActionFailed("app http has no action '" + action + "' (it has: request)");
        }
        Parameters<ActionFailed> p = new Parameters<>(parameters, ActionFailed::new);
        String method = p.text("method", "GET").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new ActionFailed("method '" + method + "' is not one of " + new TreeSet<>(METHODS));
        }
        URI uri = uri(p.text("url"), p.get("query"));
        Duration timeout = control.remaining();
        if (p.has("timeoutSeconds")) {
            Duration asked = Duration.ofMillis((long) (p.number("timeoutSeconds", 0) * 1000));
            timeout = asked.compareTo(timeout) < 0 ? asked : timeout;
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ActionFailed("no time left for the request");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
        boolean contentType = headers(request, p.get("headers"));
        JsonNode body = p.get("body");
        if (body.isMissingNode()) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else if (body.isTextual()) {
            request.method(method, HttpRequest.BodyPublishers.ofString(body.textValue()));
        } else {
            if (!contentType) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpClient client = p.bool("verifyTls", true) ? verifying : trustingAll;
        EgressPolicy policy = egress.forOrganisation(org);
        EgressResponse response;
        try {
            response = new EgressHttp(policy, client, policy.maxRedirects(), maxResponseBytes)
                    .send(request.build(), sensitive(p.get("headers")));
        } catch (EgressRefused e) {
            throw new ActionFailed(e.getMessage());
        } catch (BodyTooLarge e) {
            throw new ActionFailed("response body larger than " + maxResponseBytes + " bytes");
        } catch (HttpConnectTimeoutException e) {
            throw new ActionFailed("connecting to " + uri.getHost() + " timed out");
        } catch (HttpTimeoutException e) {
            throw new ActionFailed("no response from " + uri.getHost() + " within " + timeout.toMillis() + " ms");
        } catch (SSLException e) {
            throw new ActionFailed("TLS with " + uri.getHost() + " failed: " + e.getMessage()
                    + " (verifyTls=false skips verification)");
        } catch (IOException e) {
            throw new ActionFailed("request to " + uri.getHost() + " failed: " + describe(e));
        }
        return output(response);
    }

    private JsonNode output(EgressResponse response) {
        ObjectNode out = json.createObjectNode();
        out.put("status", response.status());
        ObjectNode headers = out.putObject("headers");
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
        String text = response.bodyAsString();
        String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (type.contains("json") && !text.isBlank()) {
            try {
                out.set("body", json.readTree(text));
                return out;
            } catch (JsonProcessingException e) {
                // announced as JSON but is not: keep the text
            }
        }
        out.put("body", text);
        return out;
    }

    /** The task's header names that must not follow a redirect to another origin. */
    private static Set<String> sensitive(JsonNode headers) {
        if (!headers.isObject()) {
            return Set.of();
        }
        return headers.properties().stream().map(Map.Entry::getKey)
                .filter(name -> !NOT_SENSITIVE.contains(name.toLowerCase(Locale.ROOT))).collect(Collectors.toSet());
    }

    private static URI uri(String url, JsonNode query) throws ActionFailed {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ActionFailed("url '" + url + "' is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new ActionFailed("url must be an absolute http or https URL");
        }
        if (query.isMissingNode() || query.isEmpty()) {
            return uri;
        }
        if (!query.isObject()) {
            throw new ActionFailed("parameter 'query' must be an object");
        }
        StringBuilder added = new StringBuilder();
        for (Map.Entry<String, JsonNode> entry : query.properties()) {
            List<JsonNode> values = entry.getValue().isArray() ? iterate(entry.getValue()) : List.of(entry.getValue());
            for (JsonNode value : values) {
                added.append(added.isEmpty() ? "" : "&").append(encode(entry.getKey())).append('=')
                        .append(encode(value.isValueNode() ? value.asText() : value.toString()));
            }
        }
        String existing = uri.getRawQuery();
        String base = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        return URI.create(base + (existing == null ? "?" : "&") + added);
    }

    private static List<JsonNode> iterate(JsonNode array) {
        List<JsonNode> values = new ArrayList<>();
        array.forEach(values::add);
        return values;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Adds the given headers; true when one of them is Content-Type. */
    private static boolean headers(HttpRequest.Builder request, JsonNode headers) throws ActionFailed {
        if (headers.isMissingNode()) {
            return false;
        }
        if (!headers.isObject()) {
            throw new ActionFailed("parameter 'headers' must be an object");
        }
        boolean contentType = false;
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            try {
                request.header(header.getKey(), header.getValue().asText());
            } catch (IllegalArgumentException e) {
                throw new ActionFailed("header '" + header.getKey() + "' cannot be set: " + e.getMessage());
            }
            contentType |= header.getKey().equalsIgnoreCase("Content-Type");
        }
        return contentType;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
