package dev.bulwark.common.security.keys;

/**
 * Implemented by the issuer itself (workflow-service): its own key set, so it verifies its tokens without reading
 * its own JWKS over HTTP.
 */
public interface LocalIssuerKeys {

    /** The JSON Web Key Set document the issuer publishes. */
    String jwks();
}
