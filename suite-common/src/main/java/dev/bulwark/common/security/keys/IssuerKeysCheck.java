package dev.bulwark.common.security.keys;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the issuer's key set has been read: before that, no token can be checked. */
@Readiness
@ApplicationScoped
public class IssuerKeysCheck implements HealthCheck {

    private final IssuerKeys keys;

    IssuerKeysCheck(IssuerKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("issuer-keys").status(keys.ready()).build();
    }
}
