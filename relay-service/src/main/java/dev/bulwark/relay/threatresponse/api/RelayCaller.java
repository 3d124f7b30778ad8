package dev.bulwark.relay.threatresponse.api;

import dev.bulwark.relay.auth.domain.RelayIdentity;
import jakarta.enterprise.context.RequestScoped;

/** The identity the relay filter admitted for the current request. */
@RequestScoped
public class RelayCaller {

    private RelayIdentity identity;

    void admit(RelayIdentity admitted) {
        this.identity = admitted;
    }

    public RelayIdentity identity() {
        if (identity == null) {
            throw new IllegalStateException("No relay identity: the route is not behind the relay filter");
        }
        return identity;
    }
}
