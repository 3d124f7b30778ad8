package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.security.Claims;
import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.identity.config.IssuerConfig;
import dev.bulwark.workflow.identity.keys.SigningKeys;
import dev.bulwark.workflow.identity.revocation.Revocations;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Signs the suite's RS256 access tokens with the active issuer key. */
@ApplicationScoped
public class TokenIssuer {

    private final IssuerConfig config;
    private final SigningKeys keys;
    private final Revocations revocations;

    TokenIssuer(IssuerConfig config, SigningKeys keys, Revocations revocations) {
        this.config = config;
        this.keys = keys;
        this.revocations = revocations;
    }

    /**
     * @param subject user id, or a service account's client id
     * @param email   the user's login, absent for service accounts
     * @param sid     id of the API key or service account the token is minted from, absent for passwords
     */
    public AccessToken issue(String subject, UUID org, Set<String> roles, String email, String sid) {
        Instant now = afterRevocations(subject, sid);
        JwtClaimsBuilder claims = Jwt.issuer(config.url())
                .subject(subject)
                .audience(Claims.AUDIENCE)
                .groups(roles)
                .claim(Claims.ORG, org.toString())
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(config.tokenLifetime()));
        if (email != null) {
            claims.claim("email", email).upn(email);
        }
        if (sid != null) {
            claims.claim(Claims.CREDENTIAL, sid);
        }
        return sign(claims, config.tokenLifetime());
    }

    /**
     * Now, or — right after a revocation of this subject, within the same second — the start of the next second:
     * {@code iat} has whole seconds, and a new token must not fall under the revocation.
     */
    private Instant afterRevocations(String subject, String sid) {
        Instant notBefore = revocations.notBefore(subject, sid);
        Instant now = Instant.now();
        long wait = notBefore.toEpochMilli() - now.toEpochMilli();
        if (wait > 0 && wait <= 1000) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while issuing a token", e);
            }
            return Instant.now();
        }
        return now;
    }

    /**
     * A token for the app code of one task: role {@link Roles#EXECUTION} and claim {@code exec}, good for calls about
     * that execution only, and only while the execution is active.
     */
    public AccessToken issueExecutionToken(UUID org, UUID executionId, Duration lifetime) {
        Instant now = Instant.now();
        JwtClaimsBuilder claims = Jwt.issuer(config.url())
                .subject("exec:" + executionId)
                .audience(Claims.AUDIENCE)
                .groups(Set.of(Roles.EXECUTION))
                .claim(Claims.ORG, org.toString())
                .claim(Claims.EXEC, executionId.toString())
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(lifetime));
        return sign(claims, lifetime);
    }

    private AccessToken sign(JwtClaimsBuilder claims, Duration lifetime) {
        String token = claims.jws().keyId(keys.activeKeyId()).algorithm(SignatureAlgorithm.RS256)
                .sign(keys.privateKey());
        return new AccessToken(token, lifetime.toSeconds());
    }
}
