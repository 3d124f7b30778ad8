package dev.bulwark.workflow.identity.domain;

import dev.bulwark.workflow.identity.config.IdentityConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/** Generates secrets and keeps only bcrypt hashes of them. */
@ApplicationScoped
public class Secrets {

    private static final int SECRET_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final int cost;
    private final String decoyHash;

    Secrets(IdentityConfig config) {
        this.cost = config.bcryptCost();
        this.decoyHash = decoyHash(cost, random);
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

    /**
     * A bcrypt hash of {@code cost} with a random salt and a random digest: a check against it costs what a real one
     * does and matches nothing. Hashing a random secret instead would cost a bcrypt at every start (a cold JVM's
     * slowest one, about a second of CPU).
     */
    static String decoyHash(int cost, SecureRandom random) {
        byte[] salt = new byte[BCryptPassword.BCRYPT_SALT_SIZE];
        byte[] digest = new byte[BCryptPassword.BCRYPT_HASH_SIZE];
        random.nextBytes(salt);
        random.nextBytes(digest);
        try {
            return ModularCrypt.encodeAsString(BCryptPassword.createRaw(BCryptPassword.ALGORITHM_BCRYPT, digest, salt,
                    cost));
        } catch (InvalidKeySpecException e) {
            throw new IllegalStateException("A bcrypt hash of cost " + cost + " cannot be encoded", e);
        }
    }
}
