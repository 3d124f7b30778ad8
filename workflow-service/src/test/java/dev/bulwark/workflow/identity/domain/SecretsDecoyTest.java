package dev.bulwark.workflow.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.elytron.security.common.BcryptUtil;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/** The decoy hash an unknown name is checked against: made without hashing, checked like a real one. */
class SecretsDecoyTest {

    @Test
    void decoyHasTheConfiguredCostAndMatchesNothing() throws Exception {
        String decoy = Secrets.decoyHash(5, new SecureRandom());

        assertThat(((BCryptPassword) ModularCrypt.decode(decoy)).getIterationCount()).isEqualTo(5);
        assertThat(BcryptUtil.matches("", decoy)).isFalse();
        assertThat(BcryptUtil.matches("any-secret", decoy)).isFalse();
        assertThat(Secrets.decoyHash(5, new SecureRandom())).isNotEqualTo(decoy);
    }
}
