package dev.bulwark.common.security.revocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The issuer's list of revoked subjects and credentials, read every few seconds in the background. A token is
 * revoked when the SHA-256 of its {@code sub} or {@code sid} claim is listed with a {@code notBefore} later than the
 * token's {@code iat}. Checking costs two hashes and two map lookups per request. When the list cannot be read, the
 * last one read stays in force (tokens then still end at their expiry, as they would without the list).
 */
@ApplicationScoped
public class RevocationList {

    private static final Logger LOG = Logger.getLogger(RevocationList.class);

    private final RevocationConfig config;
    private final Optional<String> issuer;
    private final ObjectMapper mapper;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Map<String, Long> notBefore = Map.of();
    private volatile boolean failing;
    private ScheduledExecutorService poller;

    public RevocationList(RevocationConfig config,
                          @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer,
                          ObjectMapper mapper) {
        this.config = config;
        this.issuer = issuer;
        this.mapper = mapper;
    }

    void start(@Observes StartupEvent event) {
        Optional<URI> url = url();
        if (!config.enabled() || url.isEmpty()) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "revocation-list");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, config.refresh().toMillis());
        poller.scheduleWithFixedDelay(() -> refresh(url.get()), 0, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Whether a token with these claims ({@code sid} may be null) was issued before its subject was revoked. */
    public boolean revoked(String subject, String credential, long issuedAtEpochSeconds) {
        Map<String, Long> current = notBefore;
        if (current.isEmpty()) {
            return false;
        }
        return before(current, subject, issuedAtEpochSeconds) || before(current, credential, issuedAtEpochSeconds);
    }

    private static boolean before(Map<String, Long> list, String value, long issuedAt) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        Long since = list.get(hash(value));
        return since != null && issuedAt < since;
    }

    /** The id a revocation entry carries for a subject or credential: lowercase hex SHA-256 of its UTF-8 bytes. */
    public static String hash(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Optional<URI> url() {
        return config.url().or(() -> issuer.map(base -> base.replaceAll("/+$", "") + "/.well-known/revocations.json"))
                .map(URI::create);
    }

    private void refresh(URI url) {
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            Map<String, Long> next = new HashMap<>();
            for (JsonNode entry : mapper.readTree(response.body()).path("revocations")) {
                next.merge(entry.path("id").asText(), entry.path("notBefore").asLong(), Math::max);
            }
            notBefore = Map.copyOf(next);
            if (failing) {
                LOG.infof("Revocation list at %s is readable again (%d entries)", url, next.size());
                failing = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!failing) {
                LOG.warnf("Cannot read the revocation list at %s (%s); the last list read stays in force", url,
                        e.toString());
                failing = true;
            }
        }
    }
}
