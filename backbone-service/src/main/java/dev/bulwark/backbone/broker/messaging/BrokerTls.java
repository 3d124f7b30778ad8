package dev.bulwark.backbone.broker.messaging;

import dev.bulwark.backbone.broker.config.RabbitMqConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context of the broker connections, from PEM files as Kubernetes TLS Secrets hold them. */
final class BrokerTls {

    private static final char[] NO_PASSWORD = new char[0];

    private BrokerTls() {
    }

    static SSLContext context(RabbitMqConfig.Tls tls) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile().isPresent()) {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(tls.caFile().get())) {
                    cas.setCertificateEntry("ca-" + i++, ca);
                }
                if (i == 0) {
                    throw new IllegalStateException("rabbitmq.tls.ca-file " + tls.caFile().get()
                            + " holds no certificate");
                }
                trust.init(cas);
            } else {
                trust.init((KeyStore) null);
            }
            KeyManager[] keys = null;
            if (tls.certFile().isPresent() != tls.keyFile().isPresent()) {
                throw new IllegalStateException("rabbitmq.tls.cert-file and rabbitmq.tls.key-file go together");
            }
            if (tls.certFile().isPresent()) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                own.load(null, null);
                own.setKeyEntry("client", privateKey(tls.keyFile().get()), NO_PASSWORD,
                        certificates(tls.certFile().get()).toArray(Certificate[]::new));
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(own, NO_PASSWORD);
                keys = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot set up TLS to RabbitMQ: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(String file)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException("rabbitmq.tls.key-file must be an unencrypted PKCS#8 PEM key "
                    + "(-----BEGIN PRIVATE KEY-----); convert with: openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalStateException("rabbitmq.tls.key-file holds no RSA, EC or Ed25519 key");
    }
}
