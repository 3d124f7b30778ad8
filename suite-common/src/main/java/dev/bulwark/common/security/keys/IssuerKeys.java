package dev.bulwark.common.security.keys;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * The suite issuer's public keys, by key id, for checking tokens without waiting on the issuer. When
 * {@code mp.jwt.verify.publickey.location} is an http(s) URL, the key set is read there in the background: at start,
 * every {@code refresh}, again {@code retry} after a failed read, and soon after a token names a key id it does not
 * hold (at most once per {@code retry}). A token check only looks the key up: it never fetches, so it can run on the
 * event loop, and an issuer that does not answer slows no request. When a read fails, the keys read before stay in
 * use. In the issuer itself ({@link LocalIssuerKeys}) the set is its own. Any other location (a PEM file in tests or a
 * mounted key) is left to smallrye-jwt, which reads it once.
 */
@ApplicationScoped
public class IssuerKeys {

    private static final Logger LOG = Logger.getLogger(IssuerKeys.class);
    private static final int MAX_JWKS_BYTES = 1 << 20;

    private final IssuerKeysConfig config;
    private final Optional<URI> url;
    private final Optional<LocalIssuerKeys> local;
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile boolean wanted;
    private final AtomicBoolean queued = new AtomicBoolean();
    private boolean failing;
    private long lastRead = Long.MIN_VALUE / 2;
    private volatile ScheduledExecutorService reader;
    private HttpClient http;

    @Inject
    public IssuerKeys(IssuerKeysConfig config,
                      @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location,
                      Instance<LocalIssuerKeys> local) {
        this(config, location, local.isResolvable() ? Optional.of(local.get()) : Optional.empty());
    }

    IssuerKeys(IssuerKeysConfig config, Optional<String> location, Optional<LocalIssuerKeys> local) {
        this.config = config;
        this.local = local;
        this.url = local.isPresent() ? Optional.empty()
                : location.filter(l -> l.startsWith("http://") || l.startsWith("https://")).map(URI::create);
        local.ifPresent(issuer -> keys = parse(issuer.jwks()));
    }

    /** Whether tokens are checked against this key set (otherwise smallrye-jwt reads its configured key). */
    public boolean managed() {
        return local.isPresent() || url.isPresent();
    }

    /** The key set now in use; a new instance only when a read found other keys. */
    Object current() {
        return keys;
    }

    /** Whether a key set has been read (always true when the keys are not managed here). */
    public boolean ready() {
        return !managed() || !keys.isEmpty();
    }

    void start(@Observes StartupEvent event) {
        if (url.isEmpty()) {
            return;
        }
        http = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        reader = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "issuer-keys");
            thread.setDaemon(true);
            return thread;
        });
        reader.scheduleWithFixedDelay(this::tick, 0, config.retry().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (reader != null) {
            reader.shutdownNow();
        }
    }

    /**
     * The key with this id; the only key when the token names none and the set holds one. Empty when the set has no
     * such key, which asks for a read of the set soon, without waiting for it.
     */
    public Optional<PublicKey> key(String kid) {
        Map<String, PublicKey> current = keys;
        PublicKey key = kid == null
                ? current.size() == 1 ? current.values().iterator().next() : null
                : current.get(kid);
        if (key == null && kid != null && reader != null) {
            wanted = true;
            if (queued.compareAndSet(false, true)) {
                reader.execute(this::tick);
            }
        }
        return Optional.ofNullable(key);
    }

    /** Runs on the reader thread only: every {@code retry}, and once when a token asked for an unknown key id. */
    private void tick() {
        queued.set(false);
        long now = System.currentTimeMillis();
        boolean retryDue = now - lastRead >= config.retry().toMillis();
        boolean due = keys.isEmpty() || failing ? retryDue : now - lastRead >= config.refresh().toMillis();
        if (due || wanted && retryDue) {
            wanted = false;
            read(now);
        }
    }

    private void read(long now) {
        lastRead = now;
        try {
            Map<String, PublicKey> read = fetch();
            if (!read.equals(keys)) {
                keys = read;
            }
            if (failing) {
                LOG.infof("The issuer's key set at %s is readable again (%d keys)", url.get(), keys.size());
                failing = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!failing) {
                LOG.warnf("Cannot read the issuer's key set at %s (%s); %s", url.get(), e.getMessage(),
                        keys.isEmpty() ? "no token can be checked until it is read" : "the keys read before stay in use");
                failing = true;
            }
        }
    }

    private Map<String, PublicKey> fetch() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url.get()).timeout(config.timeout())
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        if (response.body().length > MAX_JWKS_BYTES) {
            throw new IllegalStateException("the key set is larger than " + MAX_JWKS_BYTES + " bytes");
        }
        Map<String, PublicKey> read = parse(new String(response.body(), StandardCharsets.UTF_8));
        if (read.isEmpty()) {
            throw new IllegalStateException("the key set holds no signing key");
        }
        return read;
    }

    static Map<String, PublicKey> parse(String jwks) {
        try {
            Map<String, PublicKey> read = new HashMap<>();
            for (JsonWebKey key : new JsonWebKeySet(jwks).getJsonWebKeys()) {
                boolean signing = key.getUse() == null || "sig".equals(key.getUse());
                if (signing && key.getKeyId() != null && key.getKey() instanceof PublicKey publicKey) {
                    read.put(key.getKeyId(), publicKey);
                }
            }
            return Map.copyOf(read);
        } catch (JoseException e) {
            throw new IllegalStateException("not a JSON Web Key Set: " + e.getMessage(), e);
        }
    }
}
