package dev.bulwark.relay.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of seed strings: file hashes that are valid and unique to a test. */
public final class Digests {

    private Digests() {
    }

    public static String sha256(String seed) {
        return hex("SHA-256", seed);
    }

    public static String md5(String seed) {
        return hex("MD5", seed);
    }

    private static String hex(String algorithm, String seed) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
