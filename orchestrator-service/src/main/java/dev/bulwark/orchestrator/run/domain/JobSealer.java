package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the job of a running run with AES-256-GCM ({@code bulwark.orchestrator.job-key}), bound to the run id, so
 * another instance can restart the run. Without a key no job is kept, and a run whose instance stopped fails.
 */
@ApplicationScoped
public class JobSealer {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final Optional<SecretKey> key;

    JobSealer(OrchestratorConfig config) {
        key = config.jobKey().map(JobSealer::aesKey);
    }

    private static SecretKey aesKey(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        if (bytes.length != 32) {
            throw new IllegalStateException("bulwark.orchestrator.job-key must be 32 bytes, base64-encoded");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    public boolean available() {
        return key.isPresent();
    }

    public byte[] seal(UUID runId, String job) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, new GCMParameterSpec(TAG_BITS, nonce), runId);
            byte[] sealed = cipher.doFinal(job.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal the job of run " + runId, e);
        }
    }

    public String open(UUID runId, byte[] box) {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES), runId);
            return new String(cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot open the job of run " + runId + ": was the job key changed?", e);
        }
    }

    private Cipher cipher(int mode, GCMParameterSpec spec, UUID runId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key.orElseThrow(() -> new IllegalStateException("No job key is configured")), spec);
        cipher.updateAAD(runId.toString().getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
