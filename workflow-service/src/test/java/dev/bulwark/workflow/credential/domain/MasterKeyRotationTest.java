package dev.bulwark.workflow.credential.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.workflow.testing.TestOrg;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** A data key sealed by a retired master key is rewrapped with the active one, and its credentials still open. */
@QuarkusTest
class MasterKeyRotationTest {

    /** The test profile's retired master key {@code old}. */
    private static final byte[] OLD_MASTER = Base64.getDecoder().decode("b2xkLXRlc3QtbWFzdGVyLWtleS1yZXRpcmVkLW5vdyE=");

    @Inject
    Envelope envelope;

    @Inject
    CredentialStore credentials;

    private static byte[] seal(byte[] key, byte[] plain, String aad) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plain);
        return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
    }

    @Test
    void dataKeysSealedByARetiredMasterKeyAreRewrapped() throws Exception {
        UUID org = TestOrg.create().id;
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        UUID credentialId = UUID.randomUUID();
        byte[] wrapped = seal(OLD_MASTER, dataKey, "data-key|" + org);
        byte[] fields = seal(dataKey, "{\"token\":\"sealed-before-rotation\"}".getBytes(StandardCharsets.UTF_8),
                "credential:" + credentialId + "|" + org);
        QuarkusTransaction.requiringNew().run(() -> {
            OrgDataKey key = new OrgDataKey();
            key.orgId = org;
            key.keyId = "old";
            key.wrappedKey = wrapped;
            key.createdAt = Instant.now();
            key.persist();
            Credential credential = new Credential();
            credential.id = credentialId;
            credential.orgId = org;
            credential.name = "legacy";
            credential.app = "http";
            credential.fieldNames = "token";
            credential.preview = "{\"token\":\"…on\"}";
            credential.ciphertext = fields;
            credential.createdAt = Instant.now();
            credential.persist();
        });

        envelope.rewrapOnStart(null);

        QuarkusTransaction.requiringNew().run(() -> {
            OrgDataKey key = OrgDataKey.findById(org);
            assertThat(key.keyId).isEqualTo("test");
            assertThat(key.rewrappedAt).isNotNull();
            assertThat(key.wrappedKey).isNotEqualTo(wrapped);
            assertThat(credentials.decrypt(org, credentialId)).isEqualTo(Map.of("token", "sealed-before-rotation"));
        });
    }
}
