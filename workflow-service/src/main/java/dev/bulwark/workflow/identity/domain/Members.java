package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Organisations and who belongs to them with which role. */
@ApplicationScoped
public class Members {

    private final Secrets secrets;

    Members(Secrets secrets) {
        this.secrets = secrets;
    }

    public record Member(UUID userId, String email, String role) {
    }

    public record OrgView(UUID id, String name, String role) {
    }

    /** Creates an organisation with the calling user as its first admin. */
    @Transactional
    public OrgView createOrganisation(String name, UUID creator) {
        if (Organisation.count("name", name) > 0) {
            throw new Conflict("An organisation named '" + name + "' exists already");
        }
        Organisation org = Organisation.create(name);
        org.persist();
        Membership.create(org.id, creator, OrgRole.ADMIN).persist();
        return new OrgView(org.id, org.name, OrgRole.ADMIN.value());
    }

    public List<OrgView> organisationsOf(UUID userId) {
        return Membership.ofUser(userId).stream().map(m -> {
            Organisation org = Organisation.findById(m.orgId);
            return new OrgView(org.id, org.name, m.role);
        }).toList();
    }

    /** Adds an existing user, or creates the user when a password is given. */
    @Transactional
    public Member add(UUID orgId, String email, Optional<String> password, OrgRole role) {
        requireOrg(orgId);
        AppUser user = AppUser.byEmail(email).orElseGet(() -> {
            String initial = password.orElseThrow(() -> new Invalid(
                    "No user '" + AppUser.normalise(email) + "' exists yet: give a password to create one"));
            PasswordPolicy.check(initial);
            AppUser created = AppUser.create(email, secrets.hash(initial));
            created.persist();
            return created;
        });
        if (Membership.of(orgId, user.id).isPresent()) {
            throw new Conflict(user.email + " is a member already");
        }
        Membership.create(orgId, user.id, role).persist();
        return new Member(user.id, user.email, role.value());
    }

    public List<Member> list(UUID orgId) {
        requireOrg(orgId);
        return Membership.<Membership>list("orgId = ?1 order by joinedAt", orgId).stream()
                .map(m -> new Member(m.userId, AppUser.<AppUser>findById(m.userId).email, m.role)).toList();
    }

    @Transactional
    public Member changeRole(UUID orgId, UUID userId, OrgRole role) {
        Membership membership = Membership.of(orgId, userId).orElseThrow(() -> new NotFound("member", userId));
        if (OrgRole.ADMIN.value().equals(membership.role) && role != OrgRole.ADMIN) {
            requireAnotherAdmin(orgId);
        }
        membership.role = role.value();
        return new Member(userId, AppUser.<AppUser>findById(userId).email, membership.role);
    }

    @Transactional
    public void remove(UUID orgId, UUID userId) {
        Membership membership = Membership.of(orgId, userId).orElseThrow(() -> new NotFound("member", userId));
        if (OrgRole.ADMIN.value().equals(membership.role)) {
            requireAnotherAdmin(orgId);
        }
        membership.delete();
    }

    private static void requireOrg(UUID orgId) {
        if (Organisation.findById(orgId) == null) {
            throw new NotFound("organisation", orgId);
        }
    }

    private static void requireAnotherAdmin(UUID orgId) {
        if (Membership.count("orgId = ?1 and role = ?2", orgId, OrgRole.ADMIN.value()) < 2) {
            throw new Conflict("An organisation keeps at least one admin");
        }
    }
}
