package dev.bulwark.workflow.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A user's role in one organisation. */
@Entity
@Table(name = "membership")
@IdClass(Membership.Key.class)
public class Membership extends PanacheEntityBase {

    @Id
    public UUID orgId;
    @Id
    public UUID userId;
    public String role;
    public Instant joinedAt;

    static Membership create(UUID orgId, UUID userId, OrgRole role) {
        Membership membership = new Membership();
        membership.orgId = orgId;
        membership.userId = userId;
        membership.role = role.value();
        membership.joinedAt = Instant.now();
        return membership;
    }

    static Optional<Membership> of(UUID orgId, UUID userId) {
        return find("orgId = ?1 and userId = ?2", orgId, userId).firstResultOptional();
    }

    /** The user's memberships, the one joined first first. */
    static List<Membership> ofUser(UUID userId) {
        return list("userId = ?1 order by joinedAt", userId);
    }

    /** The composite primary key, as JPA's {@link IdClass} wants it: mutable fields named like the ids. */
    public static class Key implements Serializable {
        public UUID orgId;
        public UUID userId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(orgId, key.orgId) && Objects.equals(userId, key.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(orgId, userId);
        }
    }
}
