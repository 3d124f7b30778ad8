package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.ProblemException;

/** Sign-in failed; deliberately silent about which part (name, secret, key, revocation) was wrong. */
public class InvalidCredentials extends ProblemException {

    public InvalidCredentials() {
        super(401, "invalid-credentials", "Invalid credentials", "The credentials were not accepted", null, null);
    }
}
