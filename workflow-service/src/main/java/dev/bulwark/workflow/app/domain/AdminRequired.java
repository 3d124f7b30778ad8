package dev.bulwark.workflow.app.domain;

import dev.bulwark.common.error.ProblemException;

/** The caller's role may do this operation in general, but not this change: 403 naming what needs an admin. */
public class AdminRequired extends ProblemException {

    public AdminRequired(String detail) {
        super(403, "admin-required", "Admin role required", detail, null, null);
    }
}
