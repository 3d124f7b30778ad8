package dev.bulwark.workflow.credential.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.NotFound;
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
    private final ObjectMapper json;

    CredentialStore(Envelope envelope, ObjectMapper json) {
        this.envelope = envelope;
        this.json = json;
    }

    /** What the API shows of a credential: never a value. */
    public record CredentialView(UUID id, String name, String app, List<String> fields, Map<String, String> preview,
                                 Instant createdAt) {
    }

    @Transactional
    public CredentialView create(UUID orgId, String name, String app, Map<String, String> fields) {
        if (Credential.count("orgId = ?1 and name = ?2", orgId, name) > 0) {
            throw new Conflict("A credential named '" + name + "' exists already");
        }
        Credential credential = new Credential();
        credential.id = UUID.randomUUID();
        credential.orgId = orgId;
        credential.name = name;
        credential.app = app;
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

    public boolean exists(UUID orgId, String name) {
        return Credential.count("orgId = ?1 and name = ?2", orgId, name) > 0;
    }

    public Optional<UUID> idByName(UUID orgId, String name) {
        return Credential.<Credential>find("orgId = ?1 and name = ?2", orgId, name).firstResultOptional()
                .map(c -> c.id);
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
                    json.readValue(c.preview, FIELDS), c.createdAt);
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
