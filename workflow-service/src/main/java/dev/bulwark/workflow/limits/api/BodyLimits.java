package dev.bulwark.workflow.limits.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.Problem;
import dev.bulwark.workflow.config.EngineConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request bodies by endpoint: a declared {@code Content-Length} over the endpoint's limit answers 413 as a problem
 * before the body is read; a body without one (chunked) is read here up to the same limit and answers the same 413
 * problem when it goes over, and the REST layer takes the body read. Every request is bounded by
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
    private static final Pattern TASK_RESULT = Pattern.compile("/api/v1/tasks/([^/]+/result|results)/?");
    private static final Pattern OPENAPI_IMPORT = Pattern.compile("/api/v1/apps/openapi/?");

    /** The routing-context key under which a chunked body's limit waits for {@link #tooLarge}. */
    private static final String LIMIT = BodyLimits.class.getName() + ".limit";

    private record Limit(long bytes, String key) {
    }

    private final Map<Long, BodyHandler> readers = new ConcurrentHashMap<>();

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
        router.route().order(AFTER_QUARKUS).handler(this::readUndeclaredLength).failureHandler(this::tooLarge);
    }

    private void readUndeclaredLength(RoutingContext context) {
        Limit limit = limitOf(context);
        context.put(MAX_REQUEST_SIZE, limit.bytes());
        HttpServerRequest request = context.request();
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) != null
                || request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null) {
            context.next();
            return;
        }
        context.put(LIMIT, limit);
        readers.computeIfAbsent(limit.bytes(), bytes -> BodyHandler.create(false).setBodyLimit(bytes)).handle(context);
    }

    private void tooLarge(RoutingContext context) {
        Limit limit = context.get(LIMIT);
        if (context.statusCode() != 413 || limit == null || context.response().headWritten()) {
            context.next();
            return;
        }
        answer413(context, "The body is larger than the " + limit.bytes() + " bytes this endpoint takes ("
                + limit.key() + ")");
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
        answer413(context, "The body of " + length + " bytes is larger than the " + limit.bytes()
                + " bytes this endpoint takes (" + limit.key() + ")");
    }

    private void answer413(RoutingContext context, String detail) {
        String path = context.normalizedPath();
        Problem problem = new Problem(Problem.TYPE_PREFIX + "limit-exceeded", "Limit exceeded", 413, detail, path,
                null, null);
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
