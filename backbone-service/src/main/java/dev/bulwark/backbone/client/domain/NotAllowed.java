package dev.bulwark.backbone.client.domain;

import dev.bulwark.common.error.ProblemException;

/** The caller is authenticated but its registration does not allow this: 403. */
public class NotAllowed extends ProblemException {

    public NotAllowed(String detail) {
        super(403, "not-allowed", "Forbidden", detail, null, null);
    }
}
