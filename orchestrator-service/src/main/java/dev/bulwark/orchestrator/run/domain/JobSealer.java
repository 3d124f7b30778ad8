package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.common.security.AesGcm;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.SecretKey;

/**
 * Seals the job of a running run with AES-256-GCM ({@code bulwark.orchestrator.job-key}), bound to the run id, so
 * another instance can restart the run. Without a key no job is kept, and a run whose instance stopped fails.
 */
@ApplicationScoped
public class JobSealer {

    private final Optional<SecretKey> key;

    JobSealer(OrchestratorConfig config) {
        key = config.jobKey().map(base64 -> AesGcm.key(base64, "bulwark.orchestrator.job-key"));
    }

    public boolean available() {
        return key.isPresent();
    }

    public byte[] seal(UUID runId, String job) {
        return AesGcm.seal(requireKey(), job.getBytes(StandardCharsets.UTF_8), runBinding(runId));
    }

    public String open(UUID runId, byte[] box) {
        try {
            return new String(AesGcm.open(requireKey(), box, runBinding(runId)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot open the job of run " + runId + ": was the job key changed?", e);
        }
    }

    private SecretKey requireKey() {
        return key.orElseThrow(() -> new IllegalStateException("No job key is configured"));
    }

    private static byte[] runBinding(UUID runId) {
        return runId.toString().getBytes(StandardCharsets.UTF_8);
    }
}
