package dev.bulwark.common.error;

import java.util.List;

/** The request is well-formed but its content breaks a rule: 400, with the offending fields when known. */
public class Invalid extends ProblemException {

    public Invalid(String detail) {
        this(detail, List.of());
    }

    public Invalid(String detail, List<Problem.FieldViolation> violations) {
        super(400, "invalid-request", "Invalid request", detail, violations, null);
    }
}
