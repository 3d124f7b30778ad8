package dev.bulwark.workflow.identity.domain;

import dev.bulwark.workflow.identity.config.BootstrapConfig;
import dev.bulwark.workflow.identity.config.ServiceAccountsConfig;
import dev.bulwark.workflow.identity.revocation.Revocations;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The suite's own service accounts (worker-agent, dispatcher…), declared as files rather than created through the
 * API (issue 15): at start, every {@code <dir>/<name>/} with {@code client-id}, {@code client-secret} and
 * {@code roles} becomes an account of the bootstrap organisation. Idempotent; a changed secret or role list is
 * applied and the account's earlier tokens are revoked; a changed client id replaces (revokes) the account that held
 * the name. Secrets are never logged.
 */
@ApplicationScoped
public class DeclaredServiceAccounts {

    private static final String CLIENT_ID = "[A-Za-z0-9._-]{1,64}";
    private static final int MIN_SECRET_LENGTH = 16;

    private final ServiceAccountsConfig config;
    private final BootstrapConfig bootstrap;
    private final Secrets secrets;
    private final Revocations revocations;

    DeclaredServiceAccounts(ServiceAccountsConfig config, BootstrapConfig bootstrap, Secrets secrets,
                            Revocations revocations) {
        this.config = config;
        this.bootstrap = bootstrap;
        this.secrets = secrets;
        this.revocations = revocations;
    }

    /** After {@link Bootstrap} created the bootstrap organisation. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        config.dir().filter(dir -> !dir.isBlank()).ifPresent(dir -> provision(Path.of(dir)));
    }

    /** What one declaration did: {@code created}, {@code unchanged}, {@code rotated} or {@code revoked-skipped}. */
    public record Outcome(String name, String clientId, String change) {
    }

    /** Creates or updates the accounts declared under {@code dir}; a malformed declaration stops the start. */
    @Transactional
    public List<Outcome> provision(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("bulwark.service-accounts.dir " + dir + " is not a directory");
        }
        Organisation org = Organisation.<Organisation>find("name", bootstrap.orgName()).firstResultOptional()
                .orElseThrow(() -> new IllegalStateException("Declared service accounts belong to the bootstrap "
                        + "organisation '" + bootstrap.orgName() + "', which does not exist"));
        try (Stream<Path> entries = Files.list(dir)) {
            // Kubernetes Secret volumes hold "..data" and "..<timestamp>" entries beside the real ones.
            return entries.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".."))
                    .sorted().map(p -> provisionOne(org, p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + dir + " failed", e);
        }
    }

    private Outcome provisionOne(Organisation org, Path declaration) {
        String name = declaration.getFileName().toString();
        String clientId = read(declaration, "client-id");
        String secret = read(declaration, "client-secret");
        Set<String> roles = new TreeSet<>(Arrays.stream(read(declaration, "roles").split(","))
                .map(String::trim).filter(r -> !r.isEmpty()).toList());
        if (!clientId.matches(CLIENT_ID)) {
            throw new IllegalStateException("Service account '" + name + "': client-id must match " + CLIENT_ID);
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalStateException("Service account '" + name + "': client-secret needs at least "
                    + MIN_SECRET_LENGTH + " characters");
        }
        if (roles.isEmpty() || !ServiceAccounts.SERVICE_ROLES.containsAll(roles)) {
            throw new IllegalStateException("Service account '" + name + "': roles must be a non-empty subset of "
                    + new TreeSet<>(ServiceAccounts.SERVICE_ROLES));
        }
        ServiceAccount account = ServiceAccount.byClientId(clientId).orElse(null);
        if (account == null) {
            // The operator's files own the declared names: a Secret regenerated against a kept database (helm
            // reinstall, a fresh .state) replaces the earlier account instead of stopping the start.
            ServiceAccount.<ServiceAccount>list("orgId = ?1 and name = ?2 and revokedAt is null", org.id, name)
                    .forEach(earlier -> {
                        earlier.revokedAt = Instant.now();
                        revocations.revoke(earlier.id.toString());
                        Log.warnf("Service account '%s' had client id %s; the declaration names %s, so %s and its "
                                + "tokens are revoked", name, earlier.clientId, clientId, earlier.clientId);
                    });
            ServiceAccount.create(org.id, name, clientId, secrets.hash(secret), roles).persist();
            Log.infof("Created declared service account '%s' (client id %s, roles %s)", name, clientId, roles);
            return new Outcome(name, clientId, "created");
        }
        if (!account.orgId.equals(org.id)) {
            throw new IllegalStateException("Client id " + clientId + " of declared service account '" + name
                    + "' belongs to another organisation");
        }
        if (!account.active()) {
            Log.warnf("Declared service account '%s' (client id %s) was revoked; it stays revoked", name, clientId);
            return new Outcome(name, clientId, "revoked-skipped");
        }
        boolean sameSecret = secrets.matches(secret, account.secretHash);
        boolean sameRoles = account.roleSet().equals(roles);
        if (sameSecret && sameRoles) {
            return new Outcome(name, clientId, "unchanged");
        }
        account.secretHash = sameSecret ? account.secretHash : secrets.hash(secret);
        account.roles = String.join(",", roles);
        account.rotatedAt = Instant.now();
        revocations.revoke(account.id.toString());
        Log.infof("Updated declared service account '%s' (client id %s):%s%s; its earlier tokens are revoked", name,
                clientId, sameSecret ? "" : " new secret", sameRoles ? "" : " roles " + roles);
        return new Outcome(name, clientId, "rotated");
    }

    private static String read(Path declaration, String file) {
        Path path = declaration.resolve(file);
        try {
            return Files.readString(path, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("Service account '" + declaration.getFileName() + "': cannot read "
                    + file, e);
        }
    }
}
