package dev.bulwark.common.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches the REST layer into an {@code application/problem+json} response. Messages
 * are only echoed where they are written for clients; anything unexpected becomes a 500 carrying a correlation id
 * that is logged with the stack trace.
 */
public class ProblemExceptionMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return ProblemResponses.respond(e.toProblem(path(uri)), e.headers());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldViolation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldViolation(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldViolation::field))
                .toList();
        return ProblemResponses.respond(new Invalid("The request has invalid fields", violations).toProblem(path(uri)));
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return malformedJson(e, uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        var location = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
        return ProblemResponses.respond(new Problem(Problem.TYPE_PREFIX + "malformed-body", "Malformed request body",
                400, "The body is not the JSON this endpoint expects" + location, path(uri), null, null));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = status.getStatusCode() >= 500 ? null : e.getMessage();
        return ProblemResponses.respond(
                ProblemResponses.simple(status.getStatusCode(), status.getReasonPhrase(), detail, path(uri)));
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e, UriInfo uri) {
        return ProblemResponses.unauthorized(ProblemResponses.simple(401, "Unauthorized",
                "A valid bearer token from the Bulwark issuer is required", path(uri)));
    }

    @ServerExceptionMapper
    public Response anonymous(UnauthorizedException e, UriInfo uri) {
        return ProblemResponses.unauthorized(ProblemResponses.simple(401, "Unauthorized",
                "A valid bearer token from the Bulwark issuer is required", path(uri)));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemResponses.respond(ProblemResponses.simple(403, "Forbidden",
                "The token's roles do not allow this operation", path(uri)));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String correlationId = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected error %s on %s", correlationId, path(uri));
        return Response.status(500).type(Problem.MEDIA_TYPE).entity(new Problem("about:blank",
                "Internal server error", 500, "An unexpected error occurred; quote the correlation id when reporting it",
                path(uri), correlationId, null)).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    /** {@code create.arg0.name} becomes {@code name}: clients know their fields, not our method names. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        int start = parts.length > 2 ? 2 : parts.length - 1;
        return String.join(".", List.of(parts).subList(Math.max(start, 0), parts.length));
    }
}
