package dev.bulwark.backbone.client.domain;

import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.security.AesGcm;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Encrypts webhook signing secrets at rest with AES-256-GCM. The backbone must read them back to sign deliveries,
 * so they cannot be hashed like passwords.
 */
@ApplicationScoped
public class SecretBox {

    private final SecureRandom random = new SecureRandom();
    private final Optional<SecretKey> key;

    SecretBox(BackboneConfig config) {
        key = config.webhook().key().map(base64 -> AesGcm.key(base64, "bulwark.backbone.webhook.key"));
    }

    /** A new random signing secret, URL-safe. */
    public String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public byte[] encrypt(String secret) {
        return AesGcm.seal(requireKey(), secret.getBytes(StandardCharsets.UTF_8));
    }

    public String decrypt(byte[] box) {
        try {
            return new String(AesGcm.open(requireKey(), box), StandardCharsets.UTF_8);
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
