package dev.bulwark.backbone.client.domain;

import dev.bulwark.backbone.broker.messaging.Topology;
import dev.bulwark.backbone.client.persistence.Client;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Brings the broker in line with the registry when the backbone starts: the declared clients are applied first
 * (see {@link DeclaredClients}), then every registered client's queues and bindings are declared in its
 * organisation's exchanges, so a broker that lost its definitions is repaired; then the exchanges all organisations
 * shared before each had its own are deleted.
 * <p>
 * This is also the migration from the shared exchanges: a client registered before keeps the organisation it was
 * registered in (recorded since its registration), its inbox is bound in that organisation's exchanges before the
 * shared ones go, and the inbox itself — with every queued message — is never touched.
 */
@ApplicationScoped
public class TopologyRepair {

    private final Topology topology;
    private final DeclaredClients declared;

    TopologyRepair(Topology topology, DeclaredClients declared) {
        this.topology = topology;
        this.declared = declared;
    }

    /**
     * Idempotent; throws {@link dev.bulwark.common.error.Unavailable} while the broker cannot be reached.
     *
     * @return the registered clients, declared ones included
     */
    public List<Clients.Entry> repair() {
        declared.apply();
        List<Client> clients = QuarkusTransaction.requiringNew().call(() -> Client.<Client>listAll());
        for (Client client : clients) {
            topology.declareClient(client.orgId, client.clientId, client.subscriptions);
        }
        topology.retireSharedExchanges();
        Log.infof("Declared the queues and bindings of %d clients in their organisations' exchanges",
                clients.size());
        return clients.stream().map(Clients.Entry::of).toList();
    }
}
