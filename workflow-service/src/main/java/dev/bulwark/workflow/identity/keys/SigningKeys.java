package dev.bulwark.workflow.identity.keys;

import dev.bulwark.common.security.keys.LocalIssuerKeys;
import dev.bulwark.workflow.identity.config.IssuerConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

/**
 * The issuer's RSA keys: the active pair that signs, and earlier public keys that still verify tokens signed
 * before a rotation. Each key's id ({@code kid}) is its RFC 7638 thumbprint, so it is the same wherever it is
 * computed and needs no bookkeeping.
 */
@Startup
@ApplicationScoped
public class SigningKeys implements LocalIssuerKeys {

    private final PrivateKey privateKey;
    private final String activeKeyId;
    private final String jwks;

    SigningKeys(IssuerConfig config) {
        if (config.generateIfMissing() && !PemFiles.exists(config.privateKey())) {
            Log.infof("Generating the issuer private key %s", Path.of(config.privateKey()).toAbsolutePath());
            PemFiles.generate(Path.of(config.privateKey()), config.publicKey().map(Path::of));
        }
        try {
            IssuerKeyPair pair = IssuerKeyPair.load(PemFiles.read(config.privateKey()),
                    config.publicKey().map(PemFiles::read), config.privateKey());
            privateKey = pair.privateKey();
            Map<String, RsaJsonWebKey> keys = new LinkedHashMap<>();
            RsaJsonWebKey activeJwk = jwk(pair.publicKey());
            activeKeyId = activeJwk.getKeyId();
            keys.put(activeKeyId, activeJwk);
            for (String location : config.previousPublicKeys().orElse(List.of())) {
                RsaJsonWebKey previous = jwk(IssuerKeyPair.publicKey(PemFiles.read(location)));
                keys.putIfAbsent(previous.getKeyId(), previous);
            }
            jwks = new JsonWebKeySet(new ArrayList<JsonWebKey>(keys.values()))
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            Log.infof("Issuer signs with key %s; JWKS lists %d key(s)", activeKeyId, keys.size());
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot load the issuer keys: " + e.getMessage(), e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    /** The JSON Web Key Set document: the active key first, then the previous ones. */
    @Override
    public String jwks() {
        return jwks;
    }

    private static RsaJsonWebKey jwk(RSAPublicKey key) throws JoseException {
        RsaJsonWebKey jwk = new RsaJsonWebKey(key);
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        jwk.setUse("sig");
        return jwk;
    }
}
