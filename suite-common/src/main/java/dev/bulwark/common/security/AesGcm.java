package dev.bulwark.common.security;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The suite's one AES-256-GCM sealer: a sealed box is a random 12-byte nonce followed by the ciphertext and its
 * 128-bit tag, optionally bound to associated data (a box opens only with the same key and the same data).
 */
public final class AesGcm {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] NO_DATA = new byte[0];
    private static final SecureRandom RANDOM = new SecureRandom();

    private AesGcm() {
    }

    /** A key from its base64 form as configured under {@code setting}; anything but 32 bytes is refused. */
    public static SecretKey key(String base64, String setting) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " must be 32 bytes, base64-encoded (it is not base64)");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException(setting + " must be 32 bytes, base64-encoded");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** A new random key. */
    public static SecretKey newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return new SecretKeySpec(bytes, "AES");
    }

    public static byte[] seal(SecretKey key, byte[] plain) {
        return seal(key, plain, NO_DATA);
    }

    public static byte[] seal(SecretKey key, byte[] plain, byte[] associatedData) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public static byte[] open(SecretKey key, byte[] box) throws GeneralSecurityException {
        return open(key, box, NO_DATA);
    }

    /** The plain bytes; a wrong key, other associated data or a changed box throw (an AEADBadTagException). */
    public static byte[] open(SecretKey key, byte[] box, byte[] associatedData) throws GeneralSecurityException {
        if (box.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("A sealed box is at least " + (NONCE_BYTES + TAG_BITS / 8) + " bytes");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES);
    }
}
