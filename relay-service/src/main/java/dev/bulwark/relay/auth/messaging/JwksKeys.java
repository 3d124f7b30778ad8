package dev.bulwark.relay.auth.messaging;

import dev.bulwark.relay.config.RelayConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * The public keys of allow-listed JWKS hosts, cached per host for the configured TTL. An unknown {@code kid}
 * triggers one refetch, at most once per back-off period per host, so a stream of forged kids cannot turn the relay
 * into a request amplifier. Every fetch has a connect and read timeout.
 */
@ApplicationScoped
public class JwksKeys {

    private static final int MAX_JWKS_BYTES = 1 << 20;

    private final RelayConfig.ConfigurationTokens config;
    private final HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Instant> failures = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    JwksKeys(RelayConfig config) {
        this.config = config.auth().configurationTokens();
        this.http = HttpClient.newBuilder().connectTimeout(this.config.fetchTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private record Cached(List<JsonWebKey> keys, Instant fetchedAt) {

        Optional<Key> key(String kid) {
            return keys.stream().filter(k -> kid.equals(k.getKeyId())).map(JsonWebKey::getKey).findFirst();
        }
    }

    /** Signals that the host's JWKS could not be fetched or read. */
    public static class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    /** Whether the host is one the relay may fetch keys from. */
    public boolean allowed(String host) {
        return config.allowedJwksHosts().orElse(List.of()).stream().anyMatch(h -> h.equalsIgnoreCase(host));
    }

    /**
     * The key with this kid in the allow-listed host's JWKS; empty when the JWKS has no such key. When a refresh
     * fails, the keys fetched before stay in use; a host whose fetch failed is not asked again within the back-off.
     */
    public Optional<Key> key(String host, String kid) throws Unreachable {
        if (!allowed(host)) {
            throw new IllegalArgumentException("JWKS host is not allow-listed");
        }
        Instant now = clock.instant();
        Cached cached = cache.get(host);
        if (cached == null || cached.fetchedAt().plus(config.jwksTtl()).isBefore(now)) {
            cached = refresh(host, cached, now);
        }
        Optional<Key> key = cached.key(kid);
        if (key.isEmpty() && cached.fetchedAt().plus(config.jwksRefreshBackoff()).isBefore(now)) {
            key = refresh(host, cached, now).key(kid);
        }
        return key;
    }

    private Cached refresh(String host, Cached stale, Instant now) throws Unreachable {
        Instant failed = failures.get(host);
        if (failed != null && failed.plus(config.jwksRefreshBackoff()).isAfter(now)) {
            if (stale == null) {
                throw new Unreachable("JWKS of " + host + " failed less than the back-off ago");
            }
            return stale;
        }
        try {
            Cached fresh = fetch(host);
            failures.remove(host);
            return fresh;
        } catch (Unreachable e) {
            failures.put(host, now);
            if (stale == null) {
                throw e;
            }
            Log.warnf("Keeping the previous JWKS of %s: %s", host, e.getMessage());
            return stale;
        }
    }

    private Cached fetch(String host) throws Unreachable {
        URI uri = URI.create(config.jwksScheme() + "://" + host + "/.well-known/jwks");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.fetchTimeout()).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || response.body().length > MAX_JWKS_BYTES) {
                throw new Unreachable("JWKS of " + host + " answered HTTP " + response.statusCode());
            }
            Cached cached = new Cached(new JsonWebKeySet(new String(response.body(),
                    StandardCharsets.UTF_8)).getJsonWebKeys(), clock.instant());
            cache.put(host, cached);
            Log.debugf("Fetched %d keys from the JWKS of %s", cached.keys().size(), host);
            return cached;
        } catch (IOException | JoseException e) {
            throw new Unreachable("JWKS of " + host + " could not be fetched or read");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("JWKS fetch from " + host + " was interrupted");
        }
    }
}
