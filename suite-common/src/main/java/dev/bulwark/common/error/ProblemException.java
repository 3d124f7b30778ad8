package dev.bulwark.common.error;

import java.util.List;
import java.util.Map;

/**
 * Base of the exceptions a service throws to answer with a problem document. The subclasses name the few kinds
 * clients need to tell apart; their message becomes the problem's {@code detail}, so it must be safe to show.
 */
public abstract class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final transient List<Problem.FieldViolation> violations;

    protected ProblemException(int status, String slug, String title, String detail,
                               List<Problem.FieldViolation> violations, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.violations = violations == null ? List.of() : List.copyOf(violations);
    }

    public int status() {
        return status;
    }

    /** Whether the same request may succeed later without change. */
    public boolean retryable() {
        return false;
    }

    /** Response headers the client needs to act on this problem, such as {@code Retry-After}. */
    public Map<String, String> headers() {
        return Map.of();
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_PREFIX + slug, title, status, getMessage(), instance, null,
                violations.isEmpty() ? null : violations);
    }
}
