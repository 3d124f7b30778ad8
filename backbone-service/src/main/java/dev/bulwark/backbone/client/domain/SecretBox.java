package dev.bulwark.backbone.client.domain;

import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.error.Invalid;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts webhook signing secrets at rest with AES-256-GCM. The backbone must read them back to sign deliveries,
 * so they cannot be hashed like passwords.
 */
@ApplicationScoped
public class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final Optional<SecretKey> key;

    SecretBox(BackboneConfig config) {
        key = config.webhook().key().map(SecretBox::aesKey);
    }

    private static SecretKey aesKey(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        if (bytes.length != 32) {
            throw new IllegalStateException("bulwark.backbone.webhook.key must be 32 bytes, base64-encoded");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** A new random signing secret, URL-safe. */
    public String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public byte[] encrypt(String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, requireKey(), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a webhook secret", e);
        }
    }

    public String decrypt(byte[] box) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, requireKey(), new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES));
            return new String(cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt a webhook secret: was the webhook key changed?", e);
        }
    }

    /** Webhooks can be used only with a configured key: refuses the request otherwise. */
    public void requireAvailable() {
        requireKey();
    }

    private SecretKey requireKey() {
        return key.orElseThrow(() -> new Invalid(
                "Webhooks are disabled on this backbone: no webhook encryption key is configured"));
    }
}
