package dev.bulwark.workflow.identity.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Declared service accounts (env {@code BULWARK_SERVICE_ACCOUNTS_DIR}). */
@ConfigMapping(prefix = "bulwark.service-accounts")
public interface ServiceAccountsConfig {

    /**
     * A directory with one subdirectory per account, {@code <name>/client-id}, {@code client-secret} and
     * {@code roles} (comma-separated), usually mounted from Kubernetes Secrets; unset: none.
     */
    Optional<String> dir();
}
