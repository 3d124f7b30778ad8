package dev.bulwark.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

class AesGcmTest {

    private static final byte[] RUN = "run-1".getBytes(StandardCharsets.UTF_8);

    @Test
    void aBoxOpensWithItsKeyAndData() throws Exception {
        SecretKey key = AesGcm.newKey();
        byte[] box = AesGcm.seal(key, bytes("secret"), RUN);

        assertEquals("secret", new String(AesGcm.open(key, box, RUN), StandardCharsets.UTF_8));
        assertEquals(12 + 6 + 16, box.length);
        assertFalse(Arrays.equals(box, AesGcm.seal(key, bytes("secret"), RUN)), "a fresh nonce per box");
    }

    @Test
    void anotherKeyOtherDataOrAChangedBoxAreRefused() {
        SecretKey key = AesGcm.newKey();
        byte[] box = AesGcm.seal(key, bytes("secret"), RUN);
        byte[] changed = box.clone();
        changed[changed.length - 1] ^= 1;

        assertThrows(GeneralSecurityException.class, () -> AesGcm.open(AesGcm.newKey(), box, RUN));
        assertThrows(GeneralSecurityException.class, () -> AesGcm.open(key, box, bytes("run-2")));
        assertThrows(GeneralSecurityException.class, () -> AesGcm.open(key, box));
        assertThrows(GeneralSecurityException.class, () -> AesGcm.open(key, changed, RUN));
        assertThrows(GeneralSecurityException.class, () -> AesGcm.open(key, new byte[10], RUN));
    }

    /** Boxes written before this class (nonce, then ciphertext and tag; no associated data) still open. */
    @Test
    void opensTheLayoutTheServicesWroteBefore() throws Exception {
        SecretKey key = AesGcm.key(Base64.getEncoder().encodeToString(new byte[32]), "test.key");
        byte[] nonce = new byte[12];
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(bytes("whsec_old"));
        byte[] box = new byte[12 + sealed.length];
        System.arraycopy(sealed, 0, box, 12, sealed.length);

        assertEquals("whsec_old", new String(AesGcm.open(key, box), StandardCharsets.UTF_8));
    }

    @Test
    void keysOtherThan32BytesAreRefusedNamingTheSetting() {
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> AesGcm.key(Base64.getEncoder().encodeToString(new byte[16]), "bulwark.x.key"));
        assertTrue(shortKey.getMessage().contains("bulwark.x.key must be 32 bytes"), shortKey.getMessage());
        IllegalStateException notBase64 = assertThrows(IllegalStateException.class,
                () -> AesGcm.key("not base64!", "bulwark.x.key"));
        assertTrue(notBase64.getMessage().contains("bulwark.x.key"), notBase64.getMessage());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
