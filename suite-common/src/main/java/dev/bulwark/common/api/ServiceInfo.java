package dev.bulwark.common.api;

import dev.bulwark.common.security.Claims;
import jakarta.json.JsonString;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What {@code GET /api/v1/info} answers: which service and version the caller reached, and who the service
 * believes the caller is — the quickest check that a token is accepted and carries the expected roles.
 */
public record ServiceInfo(String service, String version, String subject, String org, List<String> roles) {

    public static ServiceInfo describe(String service, String version, JsonWebToken caller) {
        return new ServiceInfo(service, version, caller.getSubject(), stringClaim(caller, Claims.ORG),
                caller.getGroups().stream().sorted().toList());
    }

    private static String stringClaim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        if (value instanceof JsonString json) {
            return json.getString();
        }
        return value == null ? null : value.toString();
    }
}
