package dev.bulwark.backbone.client.domain;

import dev.bulwark.backbone.broker.messaging.Metrics;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.broker.messaging.Topology;
import dev.bulwark.backbone.client.messaging.Issuer;
import dev.bulwark.backbone.client.messaging.IssuerApi;
import dev.bulwark.backbone.client.persistence.Client;
import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.NotFound;
import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The client registry. A registration is made at the issuer, then on the broker, then in PostgreSQL; if a later
 * step fails the earlier ones are undone, so a failed registration leaves no account or inbox behind.
 */
@ApplicationScoped
public class Clients {

    /** Rights of callers, cached for the send and read paths; see {@code quarkus.cache.caffeine} in config. */
    public static final String RIGHTS_CACHE = "client-rights";
    private static final Duration DRAIN_POLL = Duration.ofMillis(200);

    /** What a client may do, as the send and read paths need it. */
    public record Rights(String clientId, String orgId, List<String> publish, boolean broadcast, boolean webhook) {

        /**
         * These rights, for a token acting for {@code orgId}: a client acts only in the organisation it was
         * registered in. The issuer puts the account's organisation in its tokens, so a mismatch means a token
         * this backbone must not trust for this client.
         */
        public Rights in(String orgId) {
            if (!this.orgId.equals(orgId)) {
                throw new NotAllowed("The caller is not a registered backbone client of its organisation");
            }
            return this;
        }
    }

    private final Issuer issuer;
    private final Topology topology;
    private final Event<WebhookChanged> webhooks;
    private final SecretBox secrets;
    private final Metrics metrics;
    private final EgressPolicy egress;

    Clients(Issuer issuer, Topology topology, Event<WebhookChanged> webhooks, SecretBox secrets, Metrics metrics,
            EgressPolicy egress) {
        this.issuer = issuer;
        this.topology = topology;
        this.webhooks = webhooks;
        this.secrets = secrets;
        this.metrics = metrics;
        this.egress = egress;
    }

    public ClientViews.Registered register(String adminToken, String orgId, String name, ClientSpec requested) {
        ClientSpec spec = requested.validated();
        if (spec.webhookUrl() != null) {
            secrets.requireAvailable();
            checkWebhook(orgId, spec.webhookUrl());
        }
        if (QuarkusTransaction.requiringNew().call(() -> Client.count("orgId = ?1 and name = ?2", orgId, name)) > 0) {
            throw new Conflict("A client named '" + name + "' exists already");
        }
        IssuerApi.Credentials account = issuer.createAccount(adminToken, name);
        String webhookSecret = spec.webhookUrl() == null ? null : secrets.newSecret();
        Client client = new Client();
        client.clientId = account.clientId();
        client.accountId = account.id();
        client.orgId = orgId;
        client.name = name;
        client.subscriptions = new ArrayList<>(orEmpty(spec.subscriptions()));
        client.publishRights = new ArrayList<>(orEmpty(spec.publish()));
        client.broadcast = Boolean.TRUE.equals(spec.broadcast());
        client.webhookUrl = spec.webhookUrl();
        client.webhookSecret = webhookSecret == null ? null : secrets.encrypt(webhookSecret);
        client.createdAt = Instant.now();
        client.updatedAt = client.createdAt;
        try {
            topology.declareClient(orgId, client.clientId, client.subscriptions);
            QuarkusTransaction.requiringNew().run(client::persist);
        } catch (RuntimeException e) {
            undoRegistration(adminToken, client);
            throw e;
        }
        metrics.watch(client.clientId);
        webhooks.fire(new WebhookChanged(client.clientId, WebhookChanged.Change.REGISTERED));
        Log.infof("Registered backbone client %s (%s) in org %s", client.clientId, name, orgId);
        ClientViews.View view = ClientViews.View.of(client, webhookSecret);
        return new ClientViews.Registered(view.clientId(), account.clientSecret(), view.name(), view.subscriptions(),
                view.publish(), view.broadcast(), view.webhook(), view.createdAt());
    }

    private void undoRegistration(String adminToken, Client client) {
        try {
            topology.deleteClient(client.clientId);
        } catch (RuntimeException e) {
            Log.warnf("Could not remove the queues of the failed registration %s", client.clientId);
        }
        try {
            issuer.revoke(adminToken, client.accountId);
        } catch (RuntimeException e) {
            Log.warnf("Could not revoke the service account of the failed registration %s", client.clientId);
        }
    }

    public List<ClientViews.View> list(String orgId) {
        return QuarkusTransaction.requiringNew().call(() -> Client.ofOrg(orgId).stream()
                .map(c -> ClientViews.View.of(c, null)).toList());
    }

    public ClientViews.View get(String orgId, String clientId) {
        return ClientViews.View.of(find(orgId, clientId), null);
    }

    /**
     * Applies a full ({@code replace}) or partial update. Subscriptions are rebound new-first, so messages routed
     * during the change reach the inbox by the old or the new binding; queued messages are untouched. Setting a
     * webhook generates a new signing secret, returned in this answer only.
     */
    @CacheInvalidate(cacheName = RIGHTS_CACHE)
    public ClientViews.View update(String orgId, @CacheKey String clientId, ClientSpec requested, boolean replace) {
        ClientSpec spec = requested.validated();
        Client client = managed(orgId, clientId);
        if (spec.webhookUrl() != null) {
            checkWebhook(orgId, spec.webhookUrl());
        }
        boolean webhookChanged = spec.webhookUrl() != null || replace && client.hasWebhook();
        String webhookSecret = spec.webhookUrl() == null ? null : secrets.newSecret();
        byte[] sealed = webhookSecret == null ? null : secrets.encrypt(webhookSecret);
        List<String> subscriptions = spec.subscriptions() != null || replace
                ? orEmpty(spec.subscriptions()) : client.subscriptions;
        topology.rebind(client.orgId, clientId, client.subscriptions, subscriptions);
        QuarkusTransaction.requiringNew().run(() -> {
            Client stored = Client.findById(clientId);
            stored.subscriptions = new ArrayList<>(subscriptions);
            if (spec.publish() != null || replace) {
                stored.publishRights = new ArrayList<>(orEmpty(spec.publish()));
            }
            if (spec.broadcast() != null || replace) {
                stored.broadcast = Boolean.TRUE.equals(spec.broadcast());
            }
            if (webhookChanged) {
                stored.webhookUrl = spec.webhookUrl();
                stored.webhookSecret = sealed;
            }
            stored.updatedAt = Instant.now();
        });
        if (webhookChanged) {
            webhooks.fire(new WebhookChanged(clientId, WebhookChanged.Change.CHANGED));
        }
        return ClientViews.View.of(find(orgId, clientId), webhookSecret);
    }

    @CacheInvalidate(cacheName = RIGHTS_CACHE)
    public ClientViews.View removeWebhook(String orgId, @CacheKey String clientId) {
        managed(orgId, clientId);
        QuarkusTransaction.requiringNew().run(() -> {
            Client stored = Client.findById(clientId);
            stored.webhookUrl = null;
            stored.webhookSecret = null;
            stored.updatedAt = Instant.now();
        });
        webhooks.fire(new WebhookChanged(clientId, WebhookChanged.Change.REMOVED));
        return ClientViews.View.of(find(orgId, clientId), null);
    }

    public ClientViews.View rotateWebhookSecret(String orgId, String clientId) {
        Client client = managed(orgId, clientId);
        if (!client.hasWebhook()) {
            throw new Conflict("Client '" + clientId + "' has no webhook");
        }
        String webhookSecret = secrets.newSecret();
        byte[] sealed = secrets.encrypt(webhookSecret);
        QuarkusTransaction.requiringNew().run(() -> {
            Client stored = Client.findById(clientId);
            stored.webhookSecret = sealed;
            stored.updatedAt = Instant.now();
        });
        webhooks.fire(new WebhookChanged(clientId, WebhookChanged.Change.CHANGED));
        return ClientViews.View.of(find(orgId, clientId), webhookSecret);
    }

    public ClientViews.Secret rotateSecret(String adminToken, String orgId, String clientId) {
        Client client = managed(orgId, clientId);
        IssuerApi.Credentials rotated = issuer.rotateSecret(adminToken, client.accountId);
        return new ClientViews.Secret(clientId, rotated.clientSecret());
    }

    /**
     * Unbinds the inbox at once, then waits up to {@code drain} for it to empty — the client (or its webhook) can
     * still read meanwhile — and then deletes its queues, its record and its service account.
     *
     * @return messages left in the inbox when it was deleted
     */
    @CacheInvalidate(cacheName = RIGHTS_CACHE)
    public long delete(String adminToken, String orgId, @CacheKey String clientId, Duration drain) {
        Client client = managed(orgId, clientId);
        topology.unbindAll(client.orgId, clientId, client.subscriptions);
        long deadline = System.nanoTime() + drain.toNanos();
        long remaining = topology.depth(Names.inbox(clientId));
        while (remaining > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(DRAIN_POLL.toNanos());
            remaining = topology.depth(Names.inbox(clientId));
        }
        // Also closes this replica's receive session, which gives back the messages it held for the client.
        webhooks.fire(new WebhookChanged(clientId, WebhookChanged.Change.REMOVED));
        remaining = topology.depth(Names.inbox(clientId));
        topology.deleteClient(clientId);
        QuarkusTransaction.requiringNew().run(() -> Client.deleteById(clientId));
        metrics.forget(clientId);
        issuer.revoke(adminToken, client.accountId);
        Log.infof("Deleted backbone client %s, %d messages left undelivered", clientId, Math.max(remaining, 0));
        return Math.max(remaining, 0);
    }

    /**
     * The rights of the registration behind a client token; a token of an unregistered account is refused. Cached
     * for a short while, so a change made on another replica takes effect within that time.
     */
    @CacheResult(cacheName = RIGHTS_CACHE)
    public Rights caller(String subject) {
        Client client = QuarkusTransaction.requiringNew().call(() -> Client.byId(subject))
                .orElseThrow(() -> new NotAllowed("The caller is not a registered backbone client"));
        return new Rights(client.clientId, client.orgId, List.copyOf(client.publishRights), client.broadcast,
                client.hasWebhook());
    }

    /** A registry entry as the webhook pusher sees it. */
    public record Entry(String clientId, boolean webhook) {

        static Entry of(Client client) {
            return new Entry(client.clientId, client.hasWebhook());
        }
    }

    /** Where and with which (sealed) secret a client's inbox is pushed. */
    public record Webhook(String clientId, String orgId, String url, byte[] sealedSecret) {
    }

    public List<Entry> all() {
        return QuarkusTransaction.requiringNew().call(() -> Client.<Client>listAll()).stream()
                .map(Entry::of).toList();
    }

    /** The client's webhook; empty when it has none or does not exist. */
    public Optional<Webhook> webhook(String clientId) {
        return QuarkusTransaction.requiringNew().call(() -> Client.byId(clientId)).filter(Client::hasWebhook)
                .map(c -> new Webhook(c.clientId, c.orgId, c.webhookUrl, c.webhookSecret));
    }

    public boolean exists(String clientId) {
        return QuarkusTransaction.requiringNew().call(() -> Client.byId(clientId)).isPresent();
    }

    /** A client the admin API may change: declared clients change only with their declaration. */
    private Client managed(String orgId, String clientId) {
        Client client = find(orgId, clientId);
        if (client.declared) {
            throw new Conflict("Client '" + clientId + "' is declared in the backbone's configuration "
                    + "(bulwark.backbone.declared-clients." + client.name + "): change it there");
        }
        return client;
    }

    private Client find(String orgId, String clientId) {
        return QuarkusTransaction.requiringNew().call(() -> Client.inOrg(orgId, clientId))
                .orElseThrow(() -> new NotFound("client", clientId));
    }

    /**
     * Refuses a webhook the egress policy would refuse (400 naming the reason, e.g. a loopback, private or
     * link-local address), so an admin learns it now rather than from dead letters. Each push checks again.
     */
    private void checkWebhook(String orgId, String url) {
        egress.forOrganisation(orgId).check(URI.create(url));
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }
}
