package dev.bulwark.dispatcher.suite.client;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.security.ClientCredentialsToken;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import dev.bulwark.dispatcher.dispatch.domain.RetryableFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/**
 * The {@code dispatcher} service account's bearer token (suite-common {@link ClientCredentialsToken}), renewed at
 * least {@code token-renew-before} ahead of its expiry or at once after a target refused it; failures to take one
 * are the dispatcher's retryable failures.
 */
@ApplicationScoped
public class ServiceTokens {

    private final ClientCredentialsToken token;

    ServiceTokens(DispatcherConfig config) {
        DispatcherConfig.Suite suite = config.suite();
        this.token = new ClientCredentialsToken(suite.issuerUrl(), suite.clientId().orElse(null),
                suite.clientSecret().orElse(null), suite.tokenRenewBefore(), suite.connectTimeout(),
                suite.readTimeout());
    }

    /** {@code Bearer <token>}, renewed when due. */
    public String authorization() {
        if (token.clientId() == null || token.clientId().isBlank()) {
            throw new Invalid("No dispatcher service account configured (bulwark.dispatcher.suite.client-id)");
        }
        try {
            return token.authorization();
        } catch (IOException e) {
            throw new RetryableFailure("Cannot obtain a token from the issuer: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableFailure("Interrupted while taking a token from the issuer", null, e);
        }
    }

    /** Forgets the token, so the next call takes a new one. */
    public void invalidate() {
        token.invalidate();
    }
}
