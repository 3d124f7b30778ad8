package dev.bulwark.relay.auth.config;

import dev.bulwark.relay.config.RelayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses to start when XDR configuration tokens or HS256 tokens are on without the organisation they act for:
 * those tokens carry no organisation, and guessing one would hand them another organisation's indicators.
 */
@ApplicationScoped
class ModuleOrganisationCheck {

    void verify(@Observes StartupEvent event, RelayConfig config) {
        RelayConfig.Auth auth = config.auth();
        boolean moduleTokens = auth.configurationTokens().enabled() || auth.secretKey().enabled();
        if (moduleTokens && auth.moduleOrganisation().filter(org -> !org.isBlank()).isEmpty()) {
            throw new IllegalStateException("XDR configuration tokens or HS256 tokens are switched on, but "
                    + "bulwark.relay.auth.module-organisation (BULWARK_RELAY_AUTH_MODULE_ORGANISATION) does not name "
                    + "the organisation they act for");
        }
    }
}
