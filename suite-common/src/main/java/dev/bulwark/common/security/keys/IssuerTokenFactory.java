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
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Checks suite tokens exactly as smallrye-jwt does (signature algorithm, issuer, audience, expiry, required claims),
 * but takes the verification key from {@link IssuerKeys} when that holds the issuer's key set, instead of letting
 * smallrye-jwt fetch it while a request waits. With {@code quarkus.smallrye-jwt.blocking-authentication=false}
 * (suite-common's default) the check then runs on the event loop, without a hand-over to a worker thread.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class IssuerTokenFactory extends JWTCallerPrincipalFactory {

    private final IssuerKeys keys;
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
        JwtContext context = (keys.managed() ? fromKeySet : configured).parse(token, info);
        String type = context.getJoseObjects().get(0).getHeader("typ");
        return new DefaultJWTCallerPrincipal(type, context.getJwtClaims());
    }
}
