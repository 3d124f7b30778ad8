package dev.bulwark.workflow.limits.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.Problem;
import dev.bulwark.workflow.config.EngineConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request bodies by endpoint: a declared {@code Content-Length} over the endpoint's limit answers 413 as a problem
 * before the body is read; a body without one is cut at the same limit by the REST layer, which reads the limit
 * from the routing context ({@code io.quarkus.max-request-size}). Every request is bounded by
 * {@code quarkus.http.limits.max-body-size}; only OpenAPI imports may use all of it.
 */
@ApplicationScoped
public class BodyLimits {

    /** The routing-context key Quarkus' body readers take their limit from. */
    private static final String MAX_REQUEST_SIZE = "io.quarkus.max-request-size";
    /** Before Quarkus' own check of the global limit (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT, -2). */
    private static final int BEFORE_QUARKUS = -3;
    /** After it: Quarkus sets the global limit in the context, this sets the endpoint's. */
    private static final int AFTER_QUARKUS = -1;

    private static final Pattern DOCUMENT = Pattern.compile("/api/v1/(workflows(/import|/[^/]+)?|apps)/?");
    private static final Pattern EXECUTE = Pattern.compile("/api/v1/(workflows/[^/]+/execute|hooks/[^/]+)/?");
    private static final Pattern TASK_RESULT = Pattern.compile("/api/v1/tasks/[^/]+/result/?");
    private static final Pattern OPENAPI_IMPORT = Pattern.compile("/api/v1/apps/openapi/?");

    private record Limit(long bytes, String key) {
    }

    private final EngineConfig.Body body;
    private final Limit global;
    private final ObjectMapper json;

    BodyLimits(EngineConfig config, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize global,
               ObjectMapper json) {
        this.body = config.limits().body();
        this.global = new Limit(global.asLongValue(), "quarkus.http.limits.max-body-size");
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_QUARKUS).handler(this::checkDeclaredLength);
        router.route().order(AFTER_QUARKUS).handler(context -> {
            context.put(MAX_REQUEST_SIZE, limitOf(context).bytes());
            context.next();
        });
    }

    private void checkDeclaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        Limit limit = limitOf(context);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length <= limit.bytes()) {
            context.next();
            return;
        }
        String path = context.normalizedPath();
        Problem problem = new Problem(Problem.TYPE_PREFIX + "limit-exceeded", "Limit exceeded", 413,
                "The body of " + length + " bytes is larger than the " + limit.bytes() + " bytes this endpoint takes ("
                        + limit.key() + ")", path, null, null);
        Log.warnf("413 Limit exceeded on %s: %s", path, problem.detail());
        try {
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Limit limitOf(RoutingContext context) {
        HttpMethod method = context.request().method();
        String path = context.normalizedPath();
        if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            return smallest(new Limit(body.other().asLongValue(), "bulwark.workflow.limits.body.other"));
        }
        if (OPENAPI_IMPORT.matcher(path).matches()) {
            return global;
        }
        if (EXECUTE.matcher(path).matches()) {
            return smallest(new Limit(body.execute().asLongValue(), "bulwark.workflow.limits.body.execute"));
        }
        if (TASK_RESULT.matcher(path).matches()) {
            return smallest(new Limit(body.taskResult().asLongValue(), "bulwark.workflow.limits.body.task-result"));
        }
        if (DOCUMENT.matcher(path).matches()) {
            return smallest(new Limit(body.document().asLongValue(), "bulwark.workflow.limits.body.document"));
        }
        return smallest(new Limit(body.other().asLongValue(), "bulwark.workflow.limits.body.other"));
    }

    private Limit smallest(Limit endpoint) {
        return endpoint.bytes() < global.bytes() ? endpoint : global;
    }
}
