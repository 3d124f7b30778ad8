package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.workflow.identity.config.BootstrapConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/**
 * On the first start with an empty database, creates the initial organisation and its admin from configuration.
 * Without a configured password it refuses to start, unless generating one is allowed (dev and local runs): then
 * the generated password is printed once and never again.
 */
@ApplicationScoped
public class Bootstrap {

    private final BootstrapConfig config;
    private final Secrets secrets;

    Bootstrap(BootstrapConfig config, Secrets secrets) {
        this.config = config;
        this.secrets = secrets;
    }

    @Transactional
    void onStart(@Observes StartupEvent event) {
        Organisation.getEntityManager().createNativeQuery("lock table organisation in exclusive mode").executeUpdate();
        if (Organisation.count() > 0) {
            return;
        }
        String password = config.adminPassword().filter(p -> !p.isBlank()).orElse(null);
        boolean generated = password == null;
        if (generated) {
            if (!config.generatePassword()) {
                throw new IllegalStateException("The database is empty and no initial admin password is configured:"
                        + " set BULWARK_BOOTSTRAP_ADMIN_PASSWORD (and BULWARK_BOOTSTRAP_ADMIN_EMAIL)");
            }
            password = secrets.newSecret();
        } else {
            try {
                PasswordPolicy.check(password);
            } catch (Invalid e) {
                throw new IllegalStateException("BULWARK_BOOTSTRAP_ADMIN_PASSWORD is too weak: " + e.getMessage(), e);
            }
        }
        Organisation org = Organisation.create(config.orgName());
        org.persist();
        AppUser admin = AppUser.create(config.adminEmail(), secrets.hash(password));
        admin.persist();
        Membership.create(org.id, admin.id, OrgRole.ADMIN).persist();
        Log.infof("Created organisation '%s' with admin %s", org.name, admin.email);
        if (generated) {
            // Printed once, on purpose: the only way to learn a generated bootstrap password.
            System.out.printf("%nBulwark initial admin: %s  password: %s  (shown once; change it)%n%n",
                    admin.email, password);
        }
    }
}
