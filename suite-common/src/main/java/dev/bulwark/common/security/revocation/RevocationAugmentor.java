package dev.bulwark.common.security.revocation;

import dev.bulwark.common.security.Claims;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Refuses suite tokens the issuer has revoked since they were minted (see {@link RevocationList}). */
@ApplicationScoped
public class RevocationAugmentor implements SecurityIdentityAugmentor {

    private final RevocationList revocations;

    public RevocationAugmentor(RevocationList revocations) {
        this.revocations = revocations;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Object credential = token.getClaim(Claims.CREDENTIAL);
        String credentialId = credential instanceof JsonString json ? json.getString()
                : credential == null ? null : credential.toString();
        if (revocations.revoked(token.getSubject(), credentialId, token.getIssuedAtTime())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the token has been revoked"));
        }
        return Uni.createFrom().item(identity);
    }
}
