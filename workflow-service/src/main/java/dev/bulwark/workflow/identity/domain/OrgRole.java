package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.security.Roles;
import java.util.Arrays;

/** A person's role within an organisation. */
public enum OrgRole {
    ADMIN(Roles.ADMIN), USER(Roles.USER), READER(Roles.READER);

    private final String value;

    OrgRole(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static OrgRole of(String value) {
        return Arrays.stream(values()).filter(r -> r.value.equals(value)).findFirst()
                .orElseThrow(() -> new Invalid("role must be one of admin, user, reader"));
    }
}
