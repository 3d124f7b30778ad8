package dev.bulwark.workflow.identity.domain;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.UUID;

/** Creates organisations and users straight in the database, each with unique names, for tests to sign in with. */
public final class IdentityFixture {

    public static final String PASSWORD = "Correct-Horse-42-battery";
    private static final String PASSWORD_HASH = BcryptUtil.bcryptHash(PASSWORD, 11);

    private IdentityFixture() {
    }

    public record TestUser(UUID id, String email, UUID orgId, String orgName) {
    }

    /** A new organisation with one member of the given role; the password is {@link #PASSWORD}. */
    public static TestUser newOrgWith(OrgRole role) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Organisation org = Organisation.create("org-" + UUID.randomUUID());
            org.persist();
            return member(org, role);
        });
    }

    /** Another member of an existing organisation. */
    public static TestUser newMember(UUID orgId, OrgRole role) {
        return QuarkusTransaction.requiringNew().call(() -> member(Organisation.findById(orgId), role));
    }

    private static TestUser member(Organisation org, OrgRole role) {
        AppUser user = AppUser.create(role.value() + "-" + UUID.randomUUID() + "@example.org", PASSWORD_HASH);
        user.persist();
        Membership.create(org.id, user.id, role).persist();
        return new TestUser(user.id, user.email, org.id, org.name);
    }
}
