package dev.bulwark.workflow.identity.keys;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import io.smallrye.jwt.util.KeyUtils;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The issuer's signing pair, read from the private key alone: PEM PKCS#8 ({@code PRIVATE KEY}) or PKCS#1
 * ({@code RSA PRIVATE KEY}, what Helm's {@code genPrivateKey "rsa"} and {@code openssl genrsa -traditional} write).
 * The public key is derived from the CRT private key's modulus and public exponent.
 */
record IssuerKeyPair(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** DER of AlgorithmIdentifier {rsaEncryption, NULL}, to wrap a PKCS#1 key as PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    /**
     * @param privatePem PEM text of the private key
     * @param publicPem  PEM text of a configured public key, which must match
     * @param source     where the private key came from, for messages
     */
    static IssuerKeyPair load(String privatePem, Optional<String> publicPem, String source) {
        RSAPrivateCrtKey privateKey = privateKey(privatePem, source);
        RSAPublicKey derived = publicKeyOf(privateKey);
        publicPem.ifPresent(pem -> {
            RSAPublicKey given = publicKey(pem);
            if (!given.getModulus().equals(derived.getModulus())
                    || !given.getPublicExponent().equals(derived.getPublicExponent())) {
                throw new IllegalStateException("The configured issuer public key (bulwark.issuer.public-key, "
                        + "BULWARK_ISSUER_PUBLIC_KEY) is not the public half of the private key " + source
                        + " (bulwark.issuer.private-key, BULWARK_ISSUER_PRIVATE_KEY); remove it (it is derived from "
                        + "the private key) or configure the matching file");
            }
        });
        return new IssuerKeyPair(privateKey, derived);
    }

    static RSAPrivateCrtKey privateKey(String pem, String source) {
        Matcher matcher = PEM.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalStateException("The issuer private key " + source + " is not PEM text");
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(2).getBytes(StandardCharsets.US_ASCII));
        byte[] pkcs8 = switch (matcher.group(1)) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> wrapPkcs1(der);
            default -> throw new IllegalStateException("The issuer private key " + source + " is a '"
                    + matcher.group(1) + "' PEM block; expected 'PRIVATE KEY' (PKCS#8) or 'RSA PRIVATE KEY' (PKCS#1)");
        };
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            if (key instanceof RSAPrivateCrtKey crt) {
                return crt;
            }
            throw new IllegalStateException("The issuer private key " + source + " has no CRT parameters, so its "
                    + "public key cannot be derived");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The issuer private key " + source + " is not an RSA private key: "
                    + e.getMessage(), e);
        }
    }

    static RSAPublicKey publicKey(String pem) {
        try {
            if (KeyUtils.decodePublicKey(pem) instanceof RSAPublicKey rsa) {
                return rsa;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The configured issuer public key is not a PEM RSA public key", e);
        }
        throw new IllegalStateException("The configured issuer public key is not an RSA key");
    }

    static RSAPublicKey publicKeyOf(RSAPrivateCrtKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot derive the issuer public key", e);
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING { RSAPrivateKey } }. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(tagged(0x04, pkcs1));
        return tagged(0x30, body.toByteArray());
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (content.length < 0x80) {
            out.write(content.length);
        } else {
            byte[] length = BigInteger.valueOf(content.length).toByteArray();
            int skip = length[0] == 0 ? 1 : 0;
            out.write(0x80 | (length.length - skip));
            out.write(length, skip, length.length - skip);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "IssuerKeyPair[privateKey=<redacted>, modulusBits=" + publicKey.getModulus().bitLength() + "]";
    }
}
