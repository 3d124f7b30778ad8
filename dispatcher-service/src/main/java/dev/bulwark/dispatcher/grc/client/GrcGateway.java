package dev.bulwark.dispatcher.grc.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import dev.bulwark.dispatcher.dispatch.domain.HeaderFilter;
import dev.bulwark.dispatcher.dispatch.domain.TargetGuards;
import dev.bulwark.dispatcher.grc.domain.GrcCollection;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The CISO Assistant API as the GRC handlers use it: selector resolution (filters checked against the collection's
 * allow-list, every {@code next} page followed), updates and evidence uploads, each call behind the target's
 * circuit breaker, authenticated with {@code Authorization: Token <PAT>}.
 */
@ApplicationScoped
public class GrcGateway {

    /** A selector naming more objects than this is a mistake, not a page loop to follow forever. */
    private static final int MAX_PAGES = 1000;

    private final CisoAssistantApi api;
    private final Guard guard;
    private final Optional<String> token;

    GrcGateway(DispatcherConfig config) {
        DispatcherConfig.Grc grc = config.grc();
        this.token = grc.token().filter(t -> !t.isBlank());
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(grc.apiUrl())
                .connectTimeout(grc.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(grc.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .trustAll(!grc.verifyCertificate())
                .verifyHost(grc.verifyCertificate())
                .register(new HeaderFilter(HttpHeaders.AUTHORIZATION, () -> "Token " + token.orElse("")))
                .build(CisoAssistantApi.class);
        this.guard = TargetGuards.circuitBreaker("ciso-assistant", config.circuitBreaker());
    }

    /**
     * Ids of the objects the selector matches. {@code target} is {@code single} (default: exactly one match) or
     * {@code multiple} (at least one); every other key is a filter and must be one the collection accepts.
     */
    public List<String> select(GrcCollection collection, ObjectNode selector) throws Exception {
        requireToken();
        String target = "single";
        Map<String, String> filters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : selector.properties()) {
            if ("target".equals(entry.getKey())) {
                target = entry.getValue().asText();
            } else if (collection.filters().contains(entry.getKey())) {
                filters.put(entry.getKey(), entry.getValue().asText());
            } else {
                throw new Invalid("Unknown selector key '" + entry.getKey() + "' for " + collection.path()
                        + "; allowed: " + String.join(", ", new TreeSet<>(collection.filters())));
            }
        }
        if (!"single".equals(target) && !"multiple".equals(target)) {
            throw new Invalid("Unknown selector target '" + target + "': use single or multiple");
        }
        if (filters.isEmpty()) {
            throw new Invalid("The selector for " + collection.path() + " has no filter");
        }
        List<String> ids = new ArrayList<>();
        Map<String, String> query = filters;
        for (int page = 0; query != null; page++) {
            if (page == MAX_PAGES) {
                throw new Invalid("The selector for " + collection.path() + " matches more than " + MAX_PAGES
                        + " pages of objects");
            }
            Map<String, String> current = query;
            JsonNode answer = call(() -> api.search(collection.path(), current));
            JsonNode results = answer != null && answer.isArray() ? answer : answer == null ? null
                    : answer.get("results");
            if (results == null || !results.isArray()) {
                throw new Invalid("Unexpected response format from " + collection.path() + " search");
            }
            for (JsonNode result : results) {
                JsonNode id = result.get("id");
                if (id == null || id.isNull() || id.asText().isEmpty()) {
                    throw new Invalid("A result of the " + collection.path() + " search has no id");
                }
                ids.add(id.asText());
            }
            query = answer.isObject() ? nextPage(answer.path("next")) : null;
        }
        if (ids.isEmpty()) {
            throw new Invalid("No objects match the given selector (0 " + collection.path() + " for " + filters + ").");
        }
        if ("single".equals(target) && ids.size() != 1) {
            throw new Invalid("Expected a single object, but got " + ids.size() + " objects. Narrow the selector "
                    + filters + " or set \"target\": \"multiple\".");
        }
        return ids;
    }

    public void patch(GrcCollection collection, String id, JsonNode values) throws Exception {
        requireToken();
        call(() -> api.patch(collection.path(), id, values));
    }

    public JsonNode get(GrcCollection collection, String id) throws Exception {
        requireToken();
        return call(() -> api.get(collection.path(), id));
    }

    /** Creates an evidence and returns its id. */
    public String createEvidence(String name, JsonNode body) throws Exception {
        requireToken();
        JsonNode created = call(() -> api.createEvidence(body));
        JsonNode id = created == null ? null : created.get("id");
        if (id == null || id.isNull()) {
            throw new Invalid("Creating evidence '" + name + "' answered no id");
        }
        return id.asText();
    }

    public void upload(String evidenceId, String fileName, byte[] content) throws Exception {
        requireToken();
        String disposition = "attachment; filename=" + quote(fileName);
        call(() -> {
            api.upload(evidenceId, disposition, content);
            return null;
        });
    }

    private <T> T call(Callable<T> request) throws Exception {
        @SuppressWarnings("unchecked")
        Class<T> any = (Class<T>) Object.class;
        return guard.call(request, any);
    }

    private void requireToken() {
        if (token.isEmpty()) {
            throw new Invalid("No CISO Assistant token configured (bulwark.dispatcher.grc.token or USER_TOKEN)");
        }
    }

    /** The query of the {@code next} page link, replayed against our own base URL (never another host). */
    private static Map<String, String> nextPage(JsonNode next) {
        if (!next.isTextual() || next.asText().isBlank()) {
            return null;
        }
        String rawQuery = URI.create(next.asText()).getRawQuery();
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                query.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    /** Percent-encoding as Python's {@code urllib.parse.quote}, which the upstream dispatcher uses. */
    static String quote(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8)
                .replace("+", "%20").replace("*", "%2A").replace("%7E", "~").replace("%2F", "/");
    }
}
