package dev.bulwark.common.error;

import io.quarkus.logging.Log;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Builds problem responses and logs each error once, at a level that matches who must act on it. */
final class ProblemResponses {

    private ProblemResponses() {
    }

    static Response respond(Problem problem) {
        return respond(problem, Map.of());
    }

    static Response respond(Problem problem, Map<String, String> headers) {
        log(problem);
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        headers.forEach(response::header);
        return response.build();
    }

    static Response unauthorized(Problem problem) {
        log(problem);
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(problem).build();
    }

    static Problem simple(int status, String title, String detail, String instance) {
        return new Problem("about:blank", title, status, detail, instance, null, null);
    }

    private static void log(Problem problem) {
        int status = problem.status();
        if (status >= 500) {
            Log.errorf("%d %s on %s: %s", status, problem.title(), problem.instance(), problem.detail());
        } else if (status == 401 || status == 403 || status == 404) {
            Log.debugf("%d %s on %s: %s", status, problem.title(), problem.instance(), problem.detail());
        } else {
            Log.warnf("%d %s on %s: %s", status, problem.title(), problem.instance(), problem.detail());
        }
    }
}
