package dev.bulwark.workflow.identity.domain;

import dev.bulwark.workflow.identity.config.IdentityConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;

/** Generates secrets and keeps only bcrypt hashes of them. */
@ApplicationScoped
public class Secrets {

    private static final int SECRET_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final int cost;
    private final String decoyHash;

    Secrets(IdentityConfig config) {
        this.cost = config.bcryptCost();
        this.decoyHash = BcryptUtil.bcryptHash(newSecret(), cost);
    }

    /** 32 random bytes, URL-safe Base64 without padding (43 characters). */
    public String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String hash(String secret) {
        return BcryptUtil.bcryptHash(secret, cost);
    }

    public boolean matches(String secret, String hash) {
        return BcryptUtil.matches(secret, hash);
    }

    /** Spends the time of one check against nothing, so an unknown name answers as slowly as a wrong secret. */
    public void decoyCheck(String secret) {
        BcryptUtil.matches(secret, decoyHash);
    }
}
