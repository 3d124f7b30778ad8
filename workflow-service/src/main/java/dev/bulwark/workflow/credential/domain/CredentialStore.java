package dev.bulwark.workflow.credential.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.workflow.app.domain.AppCatalog;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.queue.domain.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * App credentials of an organisation. Values go in once and never come back out through the API: only field names
 * and a masked preview. The engine decrypts them for the claim response of the task that needs them.
 */
@ApplicationScoped
public class CredentialStore {

    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    private final Envelope envelope;
    private final AppCatalog apps;
    private final ObjectMapper json;

    CredentialStore(Envelope envelope, AppCatalog apps, ObjectMapper json) {
        this.envelope = envelope;
        this.apps = apps;
        this.json = json;
    }

    /** What the API shows of a credential: never a value. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record CredentialView(UUID id, String name, String app, List<String> fields, Map<String, String> preview,
                                 List<String> allowedHosts, Instant createdAt) {
    }

    /** Where a credential belongs: its app, and the hosts an HTTP request carrying it may go to. */
    public record Scope(UUID id, String name, String app, AllowedHosts allowedHosts) {
    }

    /**
     * Stores a credential of one app. Credentials of the built-in {@code http} app need {@code allowedHosts}; those
     * of an OpenAPI app default to the host of the app's server URL; container apps receive the fields themselves,
     * so an allow-list means nothing for them and is refused.
     */
    @Transactional
    public CredentialView create(UUID orgId, String name, String app, Map<String, String> fields,
                                 List<String> allowedHosts) {
        if (Credential.count("orgId = ?1 and name = ?2", orgId, name) > 0) {
            throw new Conflict("A credential named '" + name + "' exists already");
        }
        Credential credential = new Credential();
        credential.id = UUID.randomUUID();
        credential.orgId = orgId;
        credential.name = name;
        credential.app = app;
        credential.allowedHosts = hostsFor(orgId, app, allowedHosts).map(AllowedHosts::stored).orElse(null);
        credential.fieldNames = String.join(",", new TreeMap<>(fields).keySet());
        Map<String, String> preview = new TreeMap<>();
        fields.forEach((field, value) -> preview.put(field, mask(value)));
        credential.preview = write(preview);
        credential.ciphertext = envelope.seal(orgId, purpose(credential.id),
                write(fields).getBytes(StandardCharsets.UTF_8));
        credential.createdAt = Instant.now();
        credential.persist();
        return view(credential);
    }

    /** Replaces the host allow-list of an {@code http} or OpenAPI app credential. */
    @Transactional
    public CredentialView allowHosts(UUID orgId, UUID id, List<String> allowedHosts) {
        Credential credential = find(orgId, id);
        credential.allowedHosts = hostsFor(orgId, credential.app, allowedHosts).map(AllowedHosts::stored)
                .orElse(null);
        return view(credential);
    }

    private Optional<AllowedHosts> hostsFor(UUID orgId, String app, List<String> given) {
        Optional<AllowedHosts> hosts = Optional.ofNullable(given).filter(g -> !g.isEmpty()).map(AllowedHosts::parse);
        if (BuiltinApps.HTTP.equals(app)) {
            return Optional.of(hosts.orElseThrow(() -> new Invalid("A credential of the http app needs allowedHosts: "
                    + "the hosts (host, host:port or *.domain) its requests may be sent to")));
        }
        AppDefinition definition = BuiltinApps.ALL.containsKey(app) ? null : apps.find(orgId, app, null).orElse(null);
        if (definition == null) {
            throw new Invalid("Unknown app '" + app + "': a credential belongs to the http app or an app of the "
                    + "organisation");
        }
        if (AppDefinition.OPENAPI.equals(definition.kind())) {
            return Optional.of(hosts.orElseGet(() -> new AllowedHosts(
                    AllowedHosts.entryFor(definition.serverUrl()).stream().toList())));
        }
        if (hosts.isPresent()) {
            throw new Invalid("allowedHosts applies to http and OpenAPI apps; container app '" + app
                    + "' receives the credential's fields itself");
        }
        return Optional.empty();
    }

    /** The credential of that name, with what it may be used for. */
    public Optional<Scope> scope(UUID orgId, String name) {
        return Credential.<Credential>find("orgId = ?1 and name = ?2", orgId, name).firstResultOptional()
                .map(c -> new Scope(c.id, c.name, c.app, AllowedHosts.fromStored(c.allowedHosts)));
    }

    public Optional<Scope> scope(UUID orgId, UUID id) {
        return Credential.<Credential>findByIdOptional(id).filter(c -> c.orgId.equals(orgId))
                .map(c -> new Scope(c.id, c.name, c.app, AllowedHosts.fromStored(c.allowedHosts)));
    }

    public List<CredentialView> list(UUID orgId) {
        return Credential.<Credential>list("orgId = ?1 order by name", orgId).stream().map(this::view).toList();
    }

    /** Refused while queued or running tasks still need the credential. */
    @Transactional
    public void delete(UUID orgId, UUID id) {
        Credential credential = find(orgId, id);
        if (Task.count("credentialId = ?1 and status in ?2", id, List.of(Task.Status.QUEUED, Task.Status.RUNNING)) > 0) {
            throw new Conflict("Credential '" + credential.name + "' is in use by running executions");
        }
        credential.delete();
    }

    /** Why a request to {@code url} may not carry the credential; safe to show (names no value). */
    public static String refusal(Scope scope, String url) {
        return "credential '" + scope.name() + "' may only be sent to " + (scope.allowedHosts().entries().isEmpty()
                ? "no host" : String.join(", ", scope.allowedHosts().entries())) + ", not to "
                + AllowedHosts.destination(url);
    }

    /** The clear field values; for the claim response only. Must run in a transaction. */
    public Map<String, String> decrypt(UUID orgId, UUID id) {
        Credential credential = find(orgId, id);
        byte[] plain = envelope.open(orgId, purpose(id), credential.ciphertext);
        try {
            return json.readValue(plain, FIELDS);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static Credential find(UUID orgId, UUID id) {
        return Credential.<Credential>findByIdOptional(id).filter(c -> c.orgId.equals(orgId))
                .orElseThrow(() -> new NotFound("credential", id));
    }

    private CredentialView view(Credential c) {
        try {
            return new CredentialView(c.id, c.name, c.app, List.of(c.fieldNames.split(",")),
                    json.readValue(c.preview, FIELDS),
                    c.allowedHosts == null ? null : AllowedHosts.fromStored(c.allowedHosts).entries(), c.createdAt);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A hint that tells two values apart without revealing them: the last two characters of long values only. */
    static String mask(String value) {
        return value.length() >= 12 ? "…" + value.substring(value.length() - 2) : "****";
    }

    private static String purpose(UUID credentialId) {
        return "credential:" + credentialId;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
