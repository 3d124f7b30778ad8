package dev.bulwark.backbone.messaging;

import dev.bulwark.backbone.domain.Client;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Brings the broker in line with the registry when the backbone starts: every registered client's queues and
 * bindings are declared in its organisation's exchanges, so a broker that lost its definitions is repaired; then
 * the exchanges all organisations shared before each had its own are deleted.
 * <p>
 * This is also the migration from the shared exchanges: a client registered before keeps the organisation it was
 * registered in (recorded since its registration), its inbox is bound in that organisation's exchanges before the
 * shared ones go, and the inbox itself — with every queued message — is never touched.
 */
@ApplicationScoped
public class TopologyRepair {

    private final Topology topology;

    TopologyRepair(Topology topology) {
        this.topology = topology;
    }

    /** Idempotent; throws {@link dev.bulwark.common.error.Unavailable} while the broker cannot be reached. */
    public void repair(List<Client> clients) {
        for (Client client : clients) {
            topology.declareClient(client.orgId, client.clientId, client.subscriptions);
        }
        topology.retireSharedExchanges();
        Log.infof("Declared the queues and bindings of %d clients in their organisations' exchanges",
                clients.size());
    }
}
