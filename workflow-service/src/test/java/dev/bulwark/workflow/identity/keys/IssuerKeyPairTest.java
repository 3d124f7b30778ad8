package dev.bulwark.workflow.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The issuer starts from its private key alone, in either PEM form Helm or openssl writes. */
class IssuerKeyPairTest {

    private static final String DIR = "issuer-key-forms/";

    @Test
    void pkcs8PrivateKeyAloneGivesThePair() {
        IssuerKeyPair pair = IssuerKeyPair.load(PemFiles.read(DIR + "pkcs8.pem"), Optional.empty(), "pkcs8.pem");

        assertThat(pair.publicKey()).isEqualTo(IssuerKeyPair.publicKey(PemFiles.read(DIR + "public.pem")));
    }

    @Test
    void pkcs1PrivateKeyAloneGivesTheSamePair() {
        IssuerKeyPair pkcs1 = IssuerKeyPair.load(PemFiles.read(DIR + "pkcs1.pem"), Optional.empty(), "pkcs1.pem");
        IssuerKeyPair pkcs8 = IssuerKeyPair.load(PemFiles.read(DIR + "pkcs8.pem"), Optional.empty(), "pkcs8.pem");

        assertThat(pkcs1.privateKey().getPrivateExponent()).isEqualTo(pkcs8.privateKey().getPrivateExponent());
        assertThat(pkcs1.publicKey()).isEqualTo(pkcs8.publicKey());
    }

    @Test
    void aMatchingPublicKeyIsAccepted() {
        IssuerKeyPair pair = IssuerKeyPair.load(PemFiles.read(DIR + "pkcs1.pem"),
                Optional.of(PemFiles.read(DIR + "public.pem")), "pkcs1.pem");

        assertThat(pair.publicKey().getModulus().bitLength()).isEqualTo(2048);
    }

    @Test
    void aPublicKeyOfAnotherPairFailsTheStartWithAClearMessage() {
        assertThatThrownBy(() -> IssuerKeyPair.load(PemFiles.read(DIR + "pkcs8.pem"),
                Optional.of(PemFiles.read(DIR + "other-public.pem")), "pkcs8.pem"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not the public half of the private key pkcs8.pem")
                .hasMessageContaining("BULWARK_ISSUER_PUBLIC_KEY").hasMessageContaining("bulwark.issuer.private-key");
    }

    @Test
    void aPublicKeyInThePrivateKeySlotIsNamed() {
        assertThatThrownBy(() -> IssuerKeyPair.load(PemFiles.read(DIR + "public.pem"), Optional.empty(), "public.pem"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'PUBLIC KEY' PEM block");
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        IssuerKeyPair pair = IssuerKeyPair.load(PemFiles.read(DIR + "pkcs8.pem"), Optional.empty(), "pkcs8.pem");

        assertThat(pair.toString()).doesNotContain(pair.privateKey().getPrivateExponent().toString())
                .doesNotContain(pair.privateKey().getPrivateExponent().toString(16));
    }
}
