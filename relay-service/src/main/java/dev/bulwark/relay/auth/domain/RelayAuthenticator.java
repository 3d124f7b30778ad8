package dev.bulwark.relay.auth.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.security.Claims;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.security.revocation.RevocationList;
import dev.bulwark.relay.auth.messaging.JwksKeys;
import dev.bulwark.relay.config.RelayConfig;
import io.quarkus.logging.Log;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

/**
 * Verifies the bearer token of a relay request in one of three modes, each switched on or off by configuration:
 * <ul>
 * <li>suite tokens (RS256, issuer's JWKS, {@code mp.jwt.verify.*}) with role {@code relay-client} or
 * {@code admin}; only {@code admin} may write through respond actions;</li>
 * <li>XDR configuration tokens: RS256 whose {@code kid} names a key in the JWKS of the token's {@code jwks_host},
 * which must be allow-listed (the host is only a hint: nothing is fetched from a host not on the list),
 * {@code aud} the relay's public URL, {@code exp} required;</li>
 * <li>the relay template's HS256 tokens signed with the configured secret, {@code exp} required.</li>
 * </ul>
 * Suite tokens the issuer has revoked since they were minted ({@link RevocationList}) are refused like an invalid
 * token. Suite tokens act for the organisation of their {@code org} claim; the two module modes for the configured
 * {@code bulwark.relay.auth.module-organisation}. Failures are {@link TokenRefused} with the relay family's reasons.
 */
@ApplicationScoped
public class RelayAuthenticator {

    static final String MISSING_HEADER = "Authorization header is missing";
    static final String WRONG_TYPE = "Wrong authorization type";
    static final String WRONG_STRUCTURE = "Wrong JWT structure";
    static final String WRONG_PAYLOAD = "Wrong JWT payload structure";
    static final String WRONG_KEY = "Failed to decode JWT with provided key";
    static final String WRONG_AUDIENCE = "Wrong configuration-token-audience";
    static final String KID_NOT_FOUND = "kid from JWT header not found in API response";
    static final String EXPIRED = "Token has expired";
    static final String HOST_MISSING = "jwks_host is missing in JWT payload";
    static final String HOST_NOT_ALLOWED = "Wrong jwks_host in JWT payload: the host is not allow-listed";
    static final String JWKS_UNREACHABLE = "JWKS of the jwks_host could not be fetched";
    static final String MODE_OFF = "this token type is not accepted by the relay";
    static final String REVOKED = "Token has been revoked";

    /** Upper bound on {@code CTR_ENTITIES_LIMIT}, whatever a token asks for. */
    private static final int MAX_ENTITIES_LIMIT = 1000;

    private final RelayConfig config;
    private final JwksKeys jwks;
    private final JWTParser suiteParser;
    private final RevocationList revocations;
    private final ObjectMapper json;
    private final String suiteIssuer;

    RelayAuthenticator(RelayConfig config, JwksKeys jwks, JWTParser suiteParser, RevocationList revocations,
                       ObjectMapper json, @ConfigProperty(name = "mp.jwt.verify.issuer") String suiteIssuer) {
        this.config = config;
        this.jwks = jwks;
        this.suiteParser = suiteParser;
        this.revocations = revocations;
        this.json = json;
        this.suiteIssuer = suiteIssuer;
    }

    public RelayIdentity authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw refused(MISSING_HEADER);
        }
        String[] parts = authorization.strip().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) {
            throw refused(WRONG_TYPE);
        }
        String token = parts[1];
        String[] segments = token.split("\\.", -1);
        if (segments.length != 3) {
            throw refused(WRONG_STRUCTURE);
        }
        JsonNode header = decode(segments[0]);
        JsonNode payload = decode(segments[1]);
        String alg = header.path("alg").asText("");
        if (alg.equals("HS256")) {
            return secretKey(token);
        }
        if (!alg.equals("RS256")) {
            throw refused(WRONG_KEY);
        }
        if (suiteIssuer.equals(payload.path("iss").asText(null))) {
            return suite(token);
        }
        return configuration(token, header, payload);
    }

    private RelayIdentity suite(String token) {
        if (!config.auth().suiteTokens().enabled()) {
            throw refused(MODE_OFF);
        }
        JsonWebToken jwt;
        try {
            jwt = suiteParser.parse(token);
        } catch (ParseException e) {
            throw refused(expired(e) ? EXPIRED : WRONG_KEY);
        }
        if (revocations.revoked(jwt.getSubject(), stringClaim(jwt, Claims.CREDENTIAL), jwt.getIssuedAtTime())) {
            throw refused(REVOKED);
        }
        String org = org(jwt);
        if (org == null) {
            throw refused(WRONG_PAYLOAD);
        }
        Set<String> groups = jwt.getGroups();
        if (!groups.contains(Roles.RELAY_CLIENT) && !groups.contains(Roles.ADMIN)) {
            throw new TokenRefused("the token's roles do not allow using the relay", true);
        }
        return new RelayIdentity(RelayIdentity.SUITE, jwt.getSubject(), org,
                entitiesLimit(jwt.getClaim("CTR_ENTITIES_LIMIT")), groups.contains(Roles.ADMIN));
    }

    private RelayIdentity configuration(String token, JsonNode header, JsonNode payload) {
        RelayConfig.ConfigurationTokens mode = config.auth().configurationTokens();
        if (!mode.enabled()) {
            throw refused(MODE_OFF);
        }
        String kid = header.path("kid").asText(null);
        if (kid == null) {
            throw refused(WRONG_STRUCTURE);
        }
        String host = payload.path("jwks_host").asText(null);
        if (host == null || host.isBlank()) {
            throw refused(HOST_MISSING);
        }
        if (!jwks.allowed(host)) {
            Log.warnf("Refused a configuration token naming JWKS host %s, which is not allow-listed", host);
            throw refused(HOST_NOT_ALLOWED);
        }
        Key key;
        try {
            key = jwks.key(host, kid).orElseThrow(() -> refused(KID_NOT_FOUND));
        } catch (JwksKeys.Unreachable e) {
            Log.warnf("Configuration token refused: %s", e.getMessage());
            throw refused(JWKS_UNREACHABLE);
        }
        String audience = config.publicUrl().replaceAll("/+$", "");
        JwtClaims claims = verify(new JwtConsumerBuilder().setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "RS256")
                .setExpectedAudience(audience, audience + "/"), token);
        return new RelayIdentity(RelayIdentity.CONFIGURATION, subject(claims), moduleOrganisation(),
                entitiesLimit(claims.getClaimValue("CTR_ENTITIES_LIMIT")), config.respond().moduleTokensMayWrite());
    }

    private RelayIdentity secretKey(String token) {
        RelayConfig.SecretKey mode = config.auth().secretKey();
        Optional<String> secret = mode.value().filter(s -> !s.isBlank());
        if (!mode.enabled() || secret.isEmpty()) {
            throw refused(MODE_OFF);
        }
        JwtClaims claims = verify(new JwtConsumerBuilder()
                .setVerificationKey(new HmacKey(secret.get().getBytes(StandardCharsets.UTF_8)))
                .setRelaxVerificationKeyValidation()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "HS256")
                .setSkipDefaultAudienceValidation(), token);
        return new RelayIdentity(RelayIdentity.SECRET_KEY, subject(claims), moduleOrganisation(),
                entitiesLimit(claims.getClaimValue("CTR_ENTITIES_LIMIT")), config.respond().moduleTokensMayWrite());
    }

    private JwtClaims verify(JwtConsumerBuilder consumer, String token) {
        try {
            return consumer.setRequireExpirationTime()
                    .setAllowedClockSkewInSeconds((int) config.auth().configurationTokens().clockSkew().toSeconds())
                    .build().processToClaims(token);
        } catch (InvalidJwtException e) {
            if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
                throw refused(WRONG_KEY);
            }
            if (e.hasErrorCode(ErrorCodes.JSON_INVALID) || e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)
                    || e.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
                throw refused(WRONG_PAYLOAD);
            }
            if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                throw refused(WRONG_AUDIENCE);
            }
            if (e.hasExpired()) {
                throw refused(EXPIRED);
            }
            throw refused(WRONG_KEY);
        }
    }

    /** Checked at startup by {@link ModuleOrganisationCheck}, so a module mode that is on always has one. */
    private String moduleOrganisation() {
        return config.auth().moduleOrganisation().orElseThrow();
    }

    private static String org(JsonWebToken jwt) {
        String org = stringClaim(jwt, Claims.ORG);
        return org == null || org.isBlank() ? null : org;
    }

    private static String stringClaim(JsonWebToken jwt, String name) {
        Object claim = jwt.getClaim(name);
        return claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
    }

    private static String subject(JwtClaims claims) {
        Object sub = claims.getClaimValue("sub");
        return sub == null ? "unnamed module" : sub.toString();
    }

    private int entitiesLimit(Object claim) {
        int limit;
        try {
            limit = claim == null ? 0 : Integer.parseInt(claim.toString().strip());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        return limit > 0 ? Math.min(limit, MAX_ENTITIES_LIMIT) : config.entitiesLimit();
    }

    private static boolean expired(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                return true;
            }
        }
        return false;
    }

    private JsonNode decode(String segment) {
        try {
            JsonNode node = json.readTree(Base64.getUrlDecoder().decode(segment));
            if (node == null || !node.isObject()) {
                throw refused(WRONG_STRUCTURE);
            }
            return node;
        } catch (IllegalArgumentException | IOException e) {
            throw refused(WRONG_STRUCTURE);
        }
    }

    private static TokenRefused refused(String reason) {
        return new TokenRefused(reason, false);
    }
}
