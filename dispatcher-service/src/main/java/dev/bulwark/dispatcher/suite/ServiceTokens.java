package dev.bulwark.dispatcher.suite;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import dev.bulwark.dispatcher.domain.RetryableFailure;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The {@code dispatcher} service account's bearer token, taken from the issuer with {@code client_credentials} and
 * renewed {@code token-renew-before} ahead of its expiry (or at once after a target refused it).
 */
@ApplicationScoped
public class ServiceTokens {

    private final IssuerApi issuer;
    private final DispatcherConfig.Suite config;
    private final Clock clock = Clock.systemUTC();
    private String token;
    private Instant renewAt = Instant.MIN;

    ServiceTokens(DispatcherConfig config) {
        this.config = config.suite();
        this.issuer = QuarkusRestClientBuilder.newBuilder()
                .baseUri(this.config.issuerUrl())
                .connectTimeout(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(IssuerApi.class);
    }

    /** {@code Bearer <token>}, renewed when due. */
    public synchronized String authorization() {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            renew();
        }
        return "Bearer " + token;
    }

    /** Forgets the token, so the next call takes a new one. */
    public synchronized void invalidate() {
        token = null;
    }

    private void renew() {
        String clientId = config.clientId().filter(s -> !s.isBlank()).orElseThrow(() -> new Invalid(
                "No dispatcher service account configured (bulwark.dispatcher.suite.client-id)"));
        JsonNode answer;
        try {
            answer = issuer.token("client_credentials", clientId, config.clientSecret().orElse(""));
        } catch (RuntimeException e) {
            throw new RetryableFailure("Cannot obtain a token from the issuer: " + e.getMessage(), null, e);
        }
        JsonNode accessToken = answer == null ? null : answer.get("access_token");
        if (accessToken == null || !accessToken.isTextual()) {
            throw new RetryableFailure("The issuer answered no access_token", null, null);
        }
        long lifetime = answer.path("expires_in").asLong(300);
        Duration renewBefore = config.tokenRenewBefore();
        Duration usable = Duration.ofSeconds(lifetime).minus(renewBefore);
        token = accessToken.asText();
        renewAt = clock.instant().plus(usable.isNegative() ? Duration.ofSeconds(lifetime / 2) : usable);
        Log.debugf("Took a dispatcher token valid %d s from the issuer", lifetime);
    }
}
