package dev.bulwark.workflow.database.api;

import dev.bulwark.common.error.Problem;
import dev.bulwark.common.error.ProblemExceptionMappers;
import dev.bulwark.common.error.DatabaseUnavailable;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every API answers 503 with {@code Retry-After} while PostgreSQL is unreachable, whatever layer the connection
 * failure surfaces in (Hibernate, JDBC, a transaction); anything else goes to suite-common's mapper for the
 * unexpected. Once PostgreSQL is back the pool reconnects and requests succeed again.
 */
public class DatabaseUnavailableMapper {

    private final ProblemExceptionMappers fallback = new ProblemExceptionMappers();

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response map(Throwable e, UriInfo uri) {
        if (!DatabaseUnavailable.causes(e)) {
            return fallback.unexpected(e, uri);
        }
        DatabaseUnavailable unavailable = new DatabaseUnavailable(e);
        String path = uri == null ? null : uri.getPath();
        Log.errorf("503 Service unavailable on %s: %s", path, rootMessage(e));
        Response.ResponseBuilder response = Response.status(503).type(Problem.MEDIA_TYPE)
                .entity(unavailable.toProblem(path));
        unavailable.headers().forEach(response::header);
        return response.build();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
