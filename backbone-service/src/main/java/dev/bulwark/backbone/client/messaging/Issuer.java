package dev.bulwark.backbone.client.messaging;

import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.ProblemException;
import dev.bulwark.common.error.Unavailable;
import dev.bulwark.common.security.Roles;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The backbone's side of the issuer: it creates, rotates and revokes the service accounts of backbone clients with
 * the calling admin's own token, so the issuer applies its own rules to the admin, and exchanges client secrets
 * for tokens for clients of the original backbone flow.
 */
@ApplicationScoped
public class Issuer {

    private final IssuerApi api;

    Issuer(@RestClient IssuerApi api) {
        this.api = api;
    }

    public IssuerApi.Credentials createAccount(String adminToken, String name) {
        return call(() -> api.createServiceAccount(bearer(adminToken),
                new IssuerApi.NewServiceAccount("backbone:" + name, Set.of(Roles.BACKBONE_CLIENT))));
    }

    public IssuerApi.Credentials rotateSecret(String adminToken, UUID accountId) {
        return call(() -> api.rotateSecret(bearer(adminToken), accountId));
    }

    public void revoke(String adminToken, UUID accountId) {
        call(() -> {
            api.revoke(bearer(adminToken), accountId);
            return null;
        });
    }

    public IssuerApi.TokenResponse token(String clientId, String secret) {
        return call(() -> api.token(new IssuerApi.TokenRequest("client_credentials", clientId, secret)));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            Log.debugf("Issuer answered %d", status);
            throw switch (status) {
                case 409 -> new Conflict("The issuer already has a service account of that name");
                case 400, 401 -> invalidCredentials();
                case 403 -> new Refused(403, "Forbidden", "The issuer refused this operation for the caller",
                        Map.of());
                case 429 -> new Refused(429, "Too many requests", "Too many failed attempts; retry later",
                        retryAfter(e));
                default -> new Unavailable("The issuer answered " + status, e);
            };
        } catch (ProcessingException e) {
            throw new Unavailable("The issuer is unreachable", e);
        }
    }

    private static Map<String, String> retryAfter(WebApplicationException e) {
        String value = e.getResponse().getHeaderString("Retry-After");
        return value == null ? Map.of() : Map.of("Retry-After", value);
    }

    /** The answer to wrong client credentials, whoever detects them. */
    public static ProblemException invalidCredentials() {
        return new Refused(401, "Unauthorized", "The issuer refused the credentials", Map.of());
    }

    /** The issuer said no; the status tells the caller whether to fix credentials, rights or timing. */
    static final class Refused extends ProblemException {
        private final transient Map<String, String> headers;

        Refused(int status, String title, String detail, Map<String, String> headers) {
            super(status, "issuer-refused", title, detail, null, null);
            this.headers = headers;
        }

        @Override
        public Map<String, String> headers() {
            return headers;
        }
    }
}
