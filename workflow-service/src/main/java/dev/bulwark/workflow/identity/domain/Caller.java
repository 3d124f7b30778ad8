package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.Invalid;
import java.util.Set;
import java.util.UUID;

/** Who is calling, as the verified token says: subject, organisation in use, roles. */
public record Caller(String subject, UUID org, Set<String> roles) {

    /** The calling user's id; service accounts have none. */
    public UUID userId() {
        try {
            return UUID.fromString(subject);
        } catch (IllegalArgumentException e) {
            throw new Invalid("This operation is for users, not service accounts");
        }
    }
}
