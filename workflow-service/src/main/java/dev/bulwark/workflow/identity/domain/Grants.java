package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.Invalid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The three ways to obtain a token. Every failure looks the same to the caller ({@link InvalidCredentials}), takes
 * about as long, and counts towards the principal's lockout.
 */
@ApplicationScoped
public class Grants {

    /** API keys read {@code bwk_<key id without dashes>_<secret>}: the id finds the row, the secret is checked. */
    static final String API_KEY_PREFIX = "bwk_";

    private final Secrets secrets;
    private final LoginThrottle throttle;
    private final TokenIssuer issuer;

    Grants(Secrets secrets, LoginThrottle throttle, TokenIssuer issuer) {
        this.secrets = secrets;
        this.throttle = throttle;
        this.issuer = issuer;
    }

    public AccessToken grant(TokenRequest request) {
        String type = request.grantType() == null ? "" : request.grantType();
        return switch (type) {
            case "password" -> password(request.username(), request.password(), request.org());
            case "client_credentials" -> clientCredentials(request.clientId(), request.clientSecret());
            case "api_key" -> apiKey(request.apiKey());
            default -> throw new Invalid("grant_type must be one of password, client_credentials, api_key");
        };
    }

    /** {@code grant_type=password}; {@code org} (id or name) picks the organisation, else the first joined. */
    @Transactional
    public AccessToken password(String email, String password, String org) {
        require(email, "username");
        require(password, "password");
        String principal = "user:" + AppUser.normalise(email);
        throttle.ensureNotLocked(principal);
        Optional<AppUser> user = AppUser.byEmail(email);
        if (user.isEmpty()) {
            secrets.decoyCheck(password);
            return fail(principal);
        }
        if (!secrets.matches(password, user.get().passwordHash)) {
            return fail(principal);
        }
        Membership membership = chooseMembership(user.get(), org).orElseGet(() -> fail(principal));
        throttle.recordSuccess(principal);
        return issuer.issue(user.get().id.toString(), membership.orgId, Set.of(membership.role), user.get().email,
                null);
    }

    /** {@code grant_type=client_credentials} for service accounts. */
    @Transactional
    public AccessToken clientCredentials(String clientId, String clientSecret) {
        require(clientId, "client_id");
        require(clientSecret, "client_secret");
        String principal = "client:" + clientId;
        throttle.ensureNotLocked(principal);
        Optional<ServiceAccount> account = ServiceAccount.byClientId(clientId).filter(ServiceAccount::active);
        if (account.isEmpty()) {
            secrets.decoyCheck(clientSecret);
            return fail(principal);
        }
        if (!secrets.matches(clientSecret, account.get().secretHash)) {
            return fail(principal);
        }
        throttle.recordSuccess(principal);
        return issuer.issue(account.get().clientId, account.get().orgId, account.get().roleSet(), null,
                account.get().id.toString());
    }

    /** {@code grant_type=api_key}: the key's user, in the key's organisation, with the user's role there now. */
    @Transactional
    public AccessToken apiKey(String apiKey) {
        require(apiKey, "api_key");
        Optional<ParsedKey> parsed = ParsedKey.parse(apiKey);
        if (parsed.isEmpty()) {
            secrets.decoyCheck(apiKey);
            throw new InvalidCredentials();
        }
        String principal = "key:" + parsed.get().id();
        throttle.ensureNotLocked(principal);
        Optional<ApiKey> key = ApiKey.<ApiKey>findByIdOptional(parsed.get().id()).filter(ApiKey::active);
        if (key.isEmpty()) {
            secrets.decoyCheck(parsed.get().secret());
            return fail(principal);
        }
        if (!secrets.matches(parsed.get().secret(), key.get().secretHash)) {
            return fail(principal);
        }
        Membership membership = Membership.of(key.get().orgId, key.get().userId).orElseGet(() -> fail(principal));
        AppUser user = AppUser.findById(key.get().userId);
        key.get().lastUsedAt = Instant.now();
        throttle.recordSuccess(principal);
        return issuer.issue(user.id.toString(), membership.orgId, Set.of(membership.role), user.email,
                key.get().id.toString());
    }

    private Optional<Membership> chooseMembership(AppUser user, String org) {
        List<Membership> memberships = Membership.ofUser(user.id);
        if (org == null || org.isBlank()) {
            return memberships.stream().findFirst();
        }
        return memberships.stream().filter(m -> matchesOrg(m.orgId, org)).findFirst();
    }

    private static boolean matchesOrg(UUID orgId, String idOrName) {
        if (orgId.toString().equalsIgnoreCase(idOrName)) {
            return true;
        }
        Organisation org = Organisation.findById(orgId);
        return org != null && org.name.equals(idOrName);
    }

    private <T> T fail(String principal) {
        throttle.recordFailure(principal);
        throw new InvalidCredentials();
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new Invalid(field + " is required");
        }
    }

    record ParsedKey(UUID id, String secret) {
        static Optional<ParsedKey> parse(String apiKey) {
            if (!apiKey.startsWith(API_KEY_PREFIX)) {
                return Optional.empty();
            }
            String[] parts = apiKey.substring(API_KEY_PREFIX.length()).split("_", 2);
            if (parts.length != 2 || parts[0].length() != 32) {
                return Optional.empty();
            }
            try {
                String hex = parts[0];
                UUID id = UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-"
                        + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20));
                return Optional.of(new ParsedKey(id, parts[1]));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        static String format(UUID id, String secret) {
            return API_KEY_PREFIX + id.toString().replace("-", "") + "_" + secret;
        }
    }
}
