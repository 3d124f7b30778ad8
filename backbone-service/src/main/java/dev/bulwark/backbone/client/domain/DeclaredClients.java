package dev.bulwark.backbone.client.domain;

import dev.bulwark.backbone.broker.messaging.Topology;
import dev.bulwark.backbone.client.persistence.Client;
import dev.bulwark.backbone.config.BackboneConfig;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Backbone clients declared in configuration ({@code bulwark.backbone.declared-clients."<name>".*}): the suite's own
 * service accounts (the dispatcher's, for its {@code send_message} handler) are clients with exactly the declared
 * rights, without an admin registering them. The service account itself is declared at the issuer
 * (workflow-service's {@code bulwark.service-accounts.dir}); here it is named by its client id, the {@code sub} of its
 * tokens.
 * <p>
 * A declaration with an {@code organisation} is recorded (and its inbox bound) at start. Without one, the client
 * belongs to the organisation its tokens carry at its first call: the issuer alone mints tokens for that client id
 * and puts its account's organisation in them, so the first token is as good a source as configuration — and the
 * suite's accounts live in the bootstrap organisation, whose id exists only once workflow-service has started.
 * From then on the recorded organisation is fixed: a token acting for another one is refused.
 * <p>
 * Applied once the broker is reachable at start, idempotently: new declarations are created, changed ones rebound
 * (new subscriptions first), removed ones deleted with their queues. Admins see declared clients in their
 * organisation but cannot change or delete them through the API (409).
 */
@ApplicationScoped
public class DeclaredClients {

    /** One validated declaration. */
    record Declaration(String name, String subject, Optional<String> organisation, List<String> subscriptions,
                       List<String> publish, boolean broadcast) {
    }

    private final Map<String, BackboneConfig.DeclaredClient> configured;
    private final Topology topology;
    private final Cache rights;
    private volatile Map<String, Declaration> bySubject;

    DeclaredClients(BackboneConfig config, Topology topology, @CacheName(Clients.RIGHTS_CACHE) Cache rights) {
        this.configured = config.declaredClients();
        this.topology = topology;
        this.rights = rights;
    }

    /** A malformed declaration stops the start with the reason, as workflow-service does for its accounts. */
    void onStart(@Observes StartupEvent event) {
        declarations();
    }

    Map<String, Declaration> declarations() {
        if (bySubject == null) {
            bySubject = validate(configured);
        }
        return bySubject;
    }

    static Map<String, Declaration> validate(Map<String, BackboneConfig.DeclaredClient> configured) {
        Map<String, Declaration> bySubject = new LinkedHashMap<>();
        configured.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            String name = entry.getKey();
            BackboneConfig.DeclaredClient declared = entry.getValue();
            String subject = declared.subject().trim();
            if (!subject.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalStateException("Declared backbone client '" + name
                        + "': subject must be the service account's client id (1–64 of A-Z a-z 0-9 . _ -)");
            }
            Optional<String> organisation = declared.organisation().map(String::trim).filter(o -> !o.isEmpty());
            if (organisation.isPresent() && (TopicPattern.topicProblem(organisation.get()) != null
                    || organisation.get().contains("."))) {
                throw new IllegalStateException("Declared backbone client '" + name
                        + "': organisation must be an organisation id of the issuer");
            }
            List<String> subscriptions = patterns(name, "subscriptions", declared.subscriptions());
            List<String> publish = patterns(name, "publish", declared.publish());
            if (bySubject.put(subject, new Declaration(name, subject, organisation, subscriptions, publish,
                    declared.broadcast())) != null) {
                throw new IllegalStateException("Declared backbone client '" + name + "': subject " + subject
                        + " is declared twice");
            }
        });
        return Map.copyOf(bySubject);
    }

    private static List<String> patterns(String name, String field, Optional<List<String>> configured) {
        List<String> patterns = configured.orElse(List.of()).stream().map(String::trim).filter(p -> !p.isEmpty())
                .distinct().toList();
        for (String pattern : patterns) {
            String problem = TopicPattern.patternProblem(pattern);
            if (problem != null) {
                throw new IllegalStateException("Declared backbone client '" + name + "': " + field + " '" + pattern
                        + "' " + problem);
            }
        }
        return patterns;
    }

    /**
     * Brings the registry and the broker in line with the declarations; called before the topology repair, once
     * the broker is reachable. The broker is changed before the record, so a failure is simply retried.
     */
    public void apply() {
        Map<String, Declaration> declarations = declarations();
        List<Client> recorded = QuarkusTransaction.requiringNew().call(() -> Client.<Client>list("declared", true));
        Set<String> recordedIds = recorded.stream().map(c -> c.clientId).collect(Collectors.toSet());
        for (Client stale : recorded) {
            if (!declarations.containsKey(stale.clientId)) {
                topology.deleteClient(stale.clientId);
                QuarkusTransaction.requiringNew().run(() -> Client.deleteById(stale.clientId));
                Log.infof("Deleted declared backbone client %s (%s): no longer declared", stale.clientId, stale.name);
            }
        }
        for (Declaration declaration : declarations.values()) {
            Optional<Client> existing = recorded.stream()
                    .filter(c -> c.clientId.equals(declaration.subject())).findFirst();
            if (existing.isPresent()) {
                update(existing.get(), declaration);
            } else if (declaration.organisation().isPresent() && !recordedIds.contains(declaration.subject())) {
                create(declaration, declaration.organisation().get());
            }
        }
        rights.invalidateAll().await().indefinitely();
    }

    /**
     * Records a declared client without an organisation at its first call, in the organisation of its token.
     *
     * @return false when {@code subject} is not such a declaration
     */
    public synchronized boolean adopt(String subject, String orgId) {
        Declaration declaration = declarations().get(subject);
        if (declaration == null || declaration.organisation().isPresent()) {
            return false;
        }
        if (QuarkusTransaction.requiringNew().call(() -> Client.byId(subject)).isEmpty()) {
            create(declaration, orgId);
        }
        return true;
    }

    private void create(Declaration declaration, String orgId) {
        Optional<Client> taken = QuarkusTransaction.requiringNew().call(() -> Client.byId(declaration.subject()));
        if (taken.isPresent()) {
            Log.errorf("Declared backbone client '%s': client id %s is registered through the API already; "
                    + "the declaration is ignored", declaration.name(), declaration.subject());
            return;
        }
        if (QuarkusTransaction.requiringNew().call(() ->
                Client.count("orgId = ?1 and name = ?2", orgId, declaration.name())) > 0) {
            Log.errorf("Declared backbone client '%s': a client of that name exists in organisation %s; "
                    + "the declaration is ignored", declaration.name(), orgId);
            return;
        }
        topology.declareClient(orgId, declaration.subject(), declaration.subscriptions());
        Client client = new Client();
        client.clientId = declaration.subject();
        client.orgId = orgId;
        client.name = declaration.name();
        client.declared = true;
        client.subscriptions = new ArrayList<>(declaration.subscriptions());
        client.publishRights = new ArrayList<>(declaration.publish());
        client.broadcast = declaration.broadcast();
        client.createdAt = Instant.now();
        client.updatedAt = client.createdAt;
        QuarkusTransaction.requiringNew().run(client::persist);
        Log.infof("Declared backbone client '%s' (client id %s) in organisation %s: publish %s, subscriptions %s, "
                + "broadcast %s", declaration.name(), declaration.subject(), orgId, declaration.publish(),
                declaration.subscriptions(), declaration.broadcast());
    }

    private void update(Client client, Declaration declaration) {
        if (declaration.organisation().isPresent() && !declaration.organisation().get().equals(client.orgId)) {
            Log.errorf("Declared backbone client '%s' (client id %s) belongs to organisation %s, not %s: a client "
                    + "does not move between organisations; remove the declaration, start once, and declare it "
                    + "again", declaration.name(), client.clientId, client.orgId, declaration.organisation().get());
            return;
        }
        boolean same = client.subscriptions.equals(declaration.subscriptions())
                && client.publishRights.equals(declaration.publish()) && client.broadcast == declaration.broadcast()
                && client.name.equals(declaration.name());
        if (same) {
            return;
        }
        topology.rebind(client.orgId, client.clientId, client.subscriptions, declaration.subscriptions());
        QuarkusTransaction.requiringNew().run(() -> {
            Client stored = Client.findById(client.clientId);
            stored.name = declaration.name();
            stored.subscriptions = new ArrayList<>(declaration.subscriptions());
            stored.publishRights = new ArrayList<>(declaration.publish());
            stored.broadcast = declaration.broadcast();
            stored.updatedAt = Instant.now();
        });
        Log.infof("Updated declared backbone client '%s' (client id %s): publish %s, subscriptions %s, broadcast %s",
                declaration.name(), client.clientId, declaration.publish(), declaration.subscriptions(),
                declaration.broadcast());
    }
}
