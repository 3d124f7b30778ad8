package dev.bulwark.workflow.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The first organisation and admin, created on first start with an empty database (env {@code BULWARK_BOOTSTRAP_*}). */
@ConfigMapping(prefix = "bulwark.bootstrap")
public interface BootstrapConfig {

    /** Name of the initial organisation. */
    @WithDefault("default")
    String orgName();

    /** E-mail (login) of the initial admin. */
    @WithDefault("admin@bulwark.local")
    String adminEmail();

    /** Password of the initial admin; required and checked for strength unless {@link #generatePassword()}. */
    Optional<String> adminPassword();

    /** When no password is configured, generate one and print it once (dev and local runs only). */
    @WithDefault("false")
    boolean generatePassword();
}
