package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.security.Redacted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The three ways to obtain a token. Every failure looks the same to the caller ({@link InvalidCredentials}), takes
 * about as long, and counts towards the delays of the pair (principal, source address) and of the source.
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

    /** @param source the caller's address (the proxy's forwarded one only where the proxy is trusted) */
    public AccessToken grant(TokenRequest request, String source) {
        String type = request.grantType() == null ? "" : request.grantType();
        return switch (type) {
            case "password" -> password(request.username(), request.password(), request.org(), source);
            case "client_credentials" -> clientCredentials(request.clientId(), request.clientSecret(), source);
            case "api_key" -> apiKey(request.apiKey(), source);
            default -> throw new Invalid("grant_type must be one of password, client_credentials, api_key");
        };
    }

    /** {@code grant_type=password}; {@code org} (id or name) picks the organisation, else the first joined. */
    @Transactional
    public AccessToken password(String email, String password, String org, String source) {
        require(email, "username");
        require(password, "password");
        String principal = "user:" + AppUser.normalise(email);
        throttle.ensureAllowed(principal, source);
        Optional<AppUser> user = AppUser.byEmail(email);
        if (user.isEmpty()) {
            secrets.decoyCheck(password);
            return fail(principal, source);
        }
        if (!secrets.matches(password, user.get().passwordHash)) {
            return fail(principal, source);
        }
        Membership membership = chooseMembership(user.get(), org).orElseGet(() -> fail(principal, source));
        throttle.recordSuccess(principal, source);
        return issuer.issue(user.get().id.toString(), membership.orgId, Set.of(membership.role), user.get().email,
                null);
    }

    /** {@code grant_type=client_credentials} for service accounts. */
    @Transactional
    public AccessToken clientCredentials(String clientId, String clientSecret, String source) {
        require(clientId, "client_id");
        require(clientSecret, "client_secret");
        String principal = "client:" + clientId;
        throttle.ensureAllowed(principal, source);
        Optional<ServiceAccount> account = ServiceAccount.byClientId(clientId).filter(ServiceAccount::active);
        if (account.isEmpty()) {
            secrets.decoyCheck(clientSecret);
            return fail(principal, source);
        }
        if (!secrets.matches(clientSecret, account.get().secretHash)) {
            return fail(principal, source);
        }
        throttle.recordSuccess(principal, source);
        return issuer.issue(account.get().clientId, account.get().orgId, account.get().roleSet(), null,
                account.get().id.toString());
    }

    /** {@code grant_type=api_key}: the key's user, in the key's organisation, with the user's role there now. */
    @Transactional
    public AccessToken apiKey(String apiKey, String source) {
        require(apiKey, "api_key");
        Optional<ParsedKey> parsed = ParsedKey.parse(apiKey);
        if (parsed.isEmpty()) {
            throttle.ensureAllowed("key:malformed", source);
            secrets.decoyCheck(apiKey);
            throttle.recordSourceFailure(source);
            throw new InvalidCredentials();
        }
        String principal = "key:" + parsed.get().id();
        throttle.ensureAllowed(principal, source);
        Optional<ApiKey> key = ApiKey.<ApiKey>findByIdOptional(parsed.get().id()).filter(ApiKey::active);
        if (key.isEmpty()) {
            secrets.decoyCheck(parsed.get().secret());
            return fail(principal, source);
        }
        if (!secrets.matches(parsed.get().secret(), key.get().secretHash)) {
            return fail(principal, source);
        }
        Membership membership = Membership.of(key.get().orgId, key.get().userId)
                .orElseGet(() -> fail(principal, source));
        AppUser user = AppUser.findById(key.get().userId);
        key.get().lastUsedAt = Instant.now();
        throttle.recordSuccess(principal, source);
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

    private <T> T fail(String principal, String source) {
        throttle.recordFailure(principal, source);
        throw new InvalidCredentials();
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new Invalid(field + " is required");
        }
    }

    record ParsedKey(UUID id, String secret) {

        @Override
        public String toString() {
            return "ParsedKey[id=" + id + ", secret=" + Redacted.of(secret) + "]";
        }

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
