package dev.bulwark.common.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error our own APIs return as {@code application/problem+json}.
 *
 * @param type          URI reference naming the kind of problem ({@code about:blank} when the status says it all)
 * @param title         short summary of the kind of problem
 * @param status        HTTP status code
 * @param detail        what went wrong with this request, for a human
 * @param instance      the request path the problem occurred on
 * @param correlationId id of the server log entry, set for unexpected errors only
 * @param errors        field violations, set for invalid input only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String correlationId,
                      List<FieldViolation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "https://bulwark.dev/problems/";

    /** One rejected input field: where it is ({@code body.name}, {@code query.max}) and why it was rejected. */
    public record FieldViolation(String field, String message) {
    }
}
