package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.workflow.identity.revocation.Revocations;
import dev.bulwark.workflow.identity.config.IdentityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Organisations and who belongs to them with which role. */
@ApplicationScoped
public class Members {

    private final Secrets secrets;
    private final Revocations revocations;
    private final IdentityConfig config;

    Members(Secrets secrets, Revocations revocations, IdentityConfig config) {
        this.secrets = secrets;
        this.revocations = revocations;
        this.config = config;
    }

    public record Member(UUID userId, String email, String role) {
    }

    /** The answer to adding a member: the same whether the address belongs to a user or not. */
    public record Added(String email, String role) {
    }

    /** An invitation as its addressee sees it. */
    public record InvitationView(UUID id, UUID org, String orgName, String role, Instant invitedAt,
                                 Instant expiresAt) {
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

    /**
     * Adds a member without revealing whether the address is a user's: an existing user (or an address no user has
     * yet) gets a pending invitation to accept; with a password, an address no user has becomes a new user and a
     * member at once. The answer and its cost are the same in every case.
     */
    @Transactional
    public Added add(UUID orgId, String email, Optional<String> password, OrgRole role, UUID invitedBy) {
        requireOrg(orgId);
        password.ifPresent(PasswordPolicy::check);
        String address = AppUser.normalise(email);
        Optional<AppUser> user = AppUser.byEmail(address);
        if (user.isPresent() && Membership.of(orgId, user.get().id).isPresent()) {
            throw new Conflict(address + " is a member already");
        }
        if (user.isEmpty() && password.isPresent()) {
            AppUser created = AppUser.create(address, secrets.hash(password.get()));
            created.persist();
            Membership.create(orgId, created.id, role).persist();
            return new Added(address, role.value());
        }
        password.ifPresent(secrets::hash);
        Instant now = Instant.now();
        Invitation invitation = Invitation.<Invitation>find("orgId = ?1 and email = ?2", orgId, address)
                .firstResultOptional().orElseGet(() -> {
                    Invitation created = new Invitation();
                    created.id = UUID.randomUUID();
                    created.orgId = orgId;
                    created.email = address;
                    return created;
                });
        invitation.role = role.value();
        invitation.invitedBy = invitedBy;
        invitation.createdAt = now;
        invitation.expiresAt = now.plus(config.invitationLifetime());
        invitation.persist();
        return new Added(address, role.value());
    }

    /** The pending invitations of the user's login. */
    public List<InvitationView> invitationsOf(UUID userId) {
        AppUser user = AppUser.<AppUser>findByIdOptional(userId).orElseThrow(() -> new NotFound("user", userId));
        return Invitation.<Invitation>list("email = ?1 and expiresAt > ?2 order by createdAt", user.email,
                Instant.now()).stream().map(Members::view).toList();
    }

    /** Makes the user a member with the invitation's role; another user's or an expired invitation is 404. */
    @Transactional
    public OrgView accept(UUID userId, UUID invitationId) {
        Invitation invitation = invitationOf(userId, invitationId);
        invitation.delete();
        if (Membership.of(invitation.orgId, userId).isEmpty()) {
            Membership.create(invitation.orgId, userId, OrgRole.of(invitation.role)).persist();
        }
        Organisation org = Organisation.findById(invitation.orgId);
        return new OrgView(org.id, org.name, Membership.of(org.id, userId).orElseThrow().role);
    }

    @Transactional
    public void decline(UUID userId, UUID invitationId) {
        invitationOf(userId, invitationId).delete();
    }

    private static Invitation invitationOf(UUID userId, UUID invitationId) {
        AppUser user = AppUser.<AppUser>findByIdOptional(userId).orElseThrow(() -> new NotFound("invitation",
                invitationId));
        return Invitation.<Invitation>findByIdOptional(invitationId)
                .filter(i -> i.email.equals(user.email) && i.expiresAt.isAfter(Instant.now()))
                .orElseThrow(() -> new NotFound("invitation", invitationId));
    }

    private static InvitationView view(Invitation i) {
        return new InvitationView(i.id, i.orgId, Organisation.<Organisation>findById(i.orgId).name, i.role,
                i.createdAt, i.expiresAt);
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
        if (!membership.role.equals(role.value())) {
            membership.role = role.value();
            revocations.revoke(userId.toString());
        }
        return new Member(userId, AppUser.<AppUser>findById(userId).email, membership.role);
    }

    @Transactional
    public void remove(UUID orgId, UUID userId) {
        Membership membership = Membership.of(orgId, userId).orElseThrow(() -> new NotFound("member", userId));
        if (OrgRole.ADMIN.value().equals(membership.role)) {
            requireAnotherAdmin(orgId);
        }
        membership.delete();
        revocations.revoke(userId.toString());
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
