package dev.bulwark.workflow.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

@Entity
@Table(name = "app_user")
public class AppUser extends PanacheEntityBase {

    @Id
    public UUID id;
    /** Lower-cased login. */
    public String email;
    public String passwordHash;
    public Instant createdAt;

    static AppUser create(String email, String passwordHash) {
        AppUser user = new AppUser();
        user.id = UUID.randomUUID();
        user.email = normalise(email);
        user.passwordHash = passwordHash;
        user.createdAt = Instant.now();
        return user;
    }

    static Optional<AppUser> byEmail(String email) {
        return find("email", normalise(email)).firstResultOptional();
    }

    static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
