package dev.bulwark.common.security.keys;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Checks suite tokens exactly as smallrye-jwt does (signature algorithm, issuer, audience, expiry, required claims),
 * but takes the verification key from {@link IssuerKeys} when that holds the issuer's key set, instead of letting
 * smallrye-jwt fetch it while a request waits. With {@code quarkus.smallrye-jwt.blocking-authentication=false}
 * (suite-common's default) the check then runs on the event loop, without a hand-over to a worker thread.
 *
 * <p>A client sends the same token with every request until it expires, so a token that passed is remembered, by
 * its exact text, until its expiry (plus the configured grace) or until the issuer's key set changes, whichever
 * comes first; parsing and the RSA check were a fifth of backbone-service's CPU per message. The revocation check
 * ({@code RevocationAugmentor}) still runs on every request. At most {@value #MAX_REMEMBERED} tokens are
 * remembered; past that the memory is emptied and filled again.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class IssuerTokenFactory extends JWTCallerPrincipalFactory {

    static final int MAX_REMEMBERED = 4096;

    private record Checked(JWTCallerPrincipal principal, JWTAuthContextInfo info, Object keySet, long validBefore) {
    }

    private final IssuerKeys keys;
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();
    private final DefaultJWTTokenParser configured = new DefaultJWTTokenParser();
    private final DefaultJWTTokenParser fromKeySet = new DefaultJWTTokenParser() {
        @Override
        protected VerificationKeyResolver getVerificationKeyResolver(JWTAuthContextInfo info) {
            return (jws, nesting) -> keys.key(jws.getKeyIdHeaderValue()).orElseThrow(() ->
                    new UnresolvableKeyException("the issuer's key set holds no key " + jws.getKeyIdHeaderValue()));
        }
    };

    public IssuerTokenFactory(IssuerKeys keys) {
        this.keys = keys;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
        Object keySet = keys.current();
        long now = System.currentTimeMillis() / 1000;
        Checked known = checked.get(token);
        if (known != null && known.info() == info && known.keySet() == keySet && now < known.validBefore()) {
            return known.principal();
        }
        JwtContext context = (keys.managed() ? fromKeySet : configured).parse(token, info);
        String type = context.getJoseObjects().get(0).getHeader("typ");
        JWTCallerPrincipal principal = new DefaultJWTCallerPrincipal(type, context.getJwtClaims());
        if (checked.size() >= MAX_REMEMBERED) {
            checked.clear();
        }
        checked.put(token, new Checked(principal, info, keySet,
                principal.getExpirationTime() + Math.max(0, info.getExpGracePeriodSecs())));
        return principal;
    }
}
