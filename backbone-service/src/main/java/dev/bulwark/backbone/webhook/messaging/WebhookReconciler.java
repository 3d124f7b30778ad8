package dev.bulwark.backbone.webhook.messaging;

import dev.bulwark.backbone.broker.messaging.Metrics;
import dev.bulwark.backbone.client.domain.Clients;
import dev.bulwark.backbone.client.domain.TopologyRepair;
import dev.bulwark.backbone.config.BackboneConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a push loop running for every webhook client, every {@code bulwark.backbone.webhook.reconcile-interval}
 * from start: the push loops are started by its first pass, and a client whose loop could not be started or
 * resumed (the broker was down longer than the backoff of {@link WebhookPusher}) gets a new one on a later pass. At
 * shutdown the passes end before the push loops are stopped.
 */
@ApplicationScoped
public class WebhookReconciler {

    private final WebhookPusher pusher;
    private final Clients clients;
    private final TopologyRepair repair;
    private final BackboneConfig config;
    private final Metrics metrics;
    private final Vertx vertx;
    private long reconcileTimer = -1;
    private volatile boolean topologyDeclared;
    /** A slow pass (broker or database down) must not pile up behind the timer. */
    private final AtomicBoolean reconciling = new AtomicBoolean();

    WebhookReconciler(WebhookPusher pusher, Clients clients, TopologyRepair repair, BackboneConfig config,
                      Metrics metrics, Vertx vertx) {
        this.pusher = pusher;
        this.clients = clients;
        this.repair = repair;
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        reconcileTimer = vertx.setPeriodic(1, config.webhook().reconcileInterval().toMillis(),
                id -> Infrastructure.getDefaultWorkerPool().execute(this::reconcile));
    }

    void onStop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(reconcileTimer);
        pusher.stopAll();
    }

    /**
     * Gauges every client and starts a push loop for each webhook client without one (e.g. after a broker outage).
     * The first time the broker is reachable, it also repairs the topology (see {@link TopologyRepair}).
     */
    void reconcile() {
        if (!reconciling.compareAndSet(false, true)) {
            return;
        }
        try {
            reconcileOnce();
        } finally {
            reconciling.set(false);
        }
    }

    private void reconcileOnce() {
        List<Clients.Entry> registered;
        try {
            registered = clients.all();
        } catch (RuntimeException e) {
            Log.warnf("Cannot list the clients: %s", e.getMessage());
            return;
        }
        if (!topologyDeclared) {
            try {
                registered = repair.repair();
                topologyDeclared = true;
            } catch (RuntimeException e) {
                Log.warnf("Cannot declare the clients' queues yet: %s", e.getMessage());
                return;
            }
        }
        for (Clients.Entry client : registered) {
            metrics.watch(client.clientId());
            if (client.webhook() && !pusher.pushing(client.clientId())) {
                pusher.start(client.clientId());
            }
        }
    }
}
