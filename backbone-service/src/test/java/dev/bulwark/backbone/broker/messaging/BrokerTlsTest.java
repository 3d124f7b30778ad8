package dev.bulwark.backbone.broker.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import dev.bulwark.backbone.broker.config.RabbitMqConfig;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to RabbitMQ as configured by {@code rabbitmq.tls.*}, against a real TLS server socket standing in for the
 * broker: it completes the handshake and records the AMQP protocol header the client sends first. Certificates are
 * made by the JDK's keytool for each run. What is verified: the broker's certificate is checked against the CA file
 * (an untrusted one fails the handshake, nothing is sent), its name against {@code rabbitmq.host} unless turned
 * off, the client certificate is presented to a broker that requires it, and the SASL and port settings.
 */
class BrokerTlsTest {

    private static final byte[] AMQP_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    record Tls(boolean enabled, Optional<String> caFile, Optional<String> certFile, Optional<String> keyFile,
               boolean verifyHostname) implements RabbitMqConfig.Tls {
    }

    record Rabbit(String host, OptionalInt port, String username, String password, Optional<String> passwordFile,
                  Sasl saslMechanism, String virtualHost, int connectTimeoutMillis, RabbitMqConfig.Tls tls)
            implements RabbitMqConfig {
    }

    @BeforeAll
    static void certificates() throws Exception {
        keyPair("broker", "localhost", "dns:localhost,ip:127.0.0.1");
        keyPair("impostor", "localhost", "dns:localhost,ip:127.0.0.1");
        keyPair("misnamed", "broker.example", "dns:broker.example");
        keyPair("backbone", "backbone-service", "dns:backbone-service");
        Files.writeString(dir.resolve("backbone.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(privateKey("backbone").getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    @Test
    void aBrokerSignedByTheConfiguredCaIsTrusted() throws Exception {
        Broker broker = Broker.start("broker", false);
        attempt(config(broker.port, tls(pem("broker"), true)));
        assertArrayEquals(AMQP_HEADER, broker.header.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aBrokerNotSignedByTheConfiguredCaIsRefusedBeforeAnythingIsSent() {
        Broker broker = Broker.start("impostor", false);
        Exception refused = attempt(config(broker.port, tls(pem("broker"), true)));
        assertTrue(chain(refused).contains("SSLHandshakeException"), chain(refused));
        assertThrows(Exception.class, () -> broker.header.get(20, TimeUnit.SECONDS));
    }

    @Test
    void theBrokerCertificateMustNameTheHostUnlessVerificationIsOff() throws Exception {
        Broker strict = Broker.start("misnamed", false);
        Exception refused = attempt(config(strict.port, tls(pem("misnamed"), true)));
        assertTrue(chain(refused).contains("SSLHandshakeException"), chain(refused));
        assertThrows(Exception.class, () -> strict.header.get(20, TimeUnit.SECONDS));

        Broker lax = Broker.start("misnamed", false);
        attempt(config(lax.port, tls(pem("misnamed"), false)));
        assertArrayEquals(AMQP_HEADER, lax.header.get(20, TimeUnit.SECONDS));
    }

    @Test
    void theClientCertificateIsPresentedToABrokerThatRequiresOne() throws Exception {
        Broker broker = Broker.start("broker", true);
        Tls tls = new Tls(true, Optional.of(pem("broker")), Optional.of(pem("backbone")),
                Optional.of(dir.resolve("backbone.key").toString()), true);
        attempt(config(broker.port, tls));
        assertArrayEquals(AMQP_HEADER, broker.header.get(20, TimeUnit.SECONDS));

        Broker withoutCertificate = Broker.start("broker", true);
        attempt(config(withoutCertificate.port, tls(pem("broker"), true)));
        assertThrows(Exception.class, () -> withoutCertificate.header.get(20, TimeUnit.SECONDS));
    }

    @Test
    void saslAndPortSettings() throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "from-a-secret\n");
        Rabbit plain = new Rabbit("localhost", OptionalInt.empty(), "backbone", "ignored",
                Optional.of(password.toString()), RabbitMqConfig.Sasl.PLAIN, "/", 5000, tls(pem("broker"), true));
        ConnectionFactory factory = BrokerConnection.factory(plain);
        assertEquals(5671, factory.getPort());
        assertEquals("from-a-secret", factory.getPassword());
        assertTrue(factory.isSSL());

        Rabbit external = new Rabbit("localhost", OptionalInt.of(5671), "backbone", "", Optional.empty(),
                RabbitMqConfig.Sasl.EXTERNAL, "/", 5000, new Tls(true, Optional.of(pem("broker")),
                Optional.of(pem("backbone")), Optional.of(dir.resolve("backbone.key").toString()), true));
        assertEquals(DefaultSaslConfig.EXTERNAL, BrokerConnection.factory(external).getSaslConfig());

        Rabbit externalWithoutCertificate = new Rabbit("localhost", OptionalInt.empty(), "backbone", "",
                Optional.empty(), RabbitMqConfig.Sasl.EXTERNAL, "/", 5000, tls(pem("broker"), true));
        assertThrows(IllegalStateException.class, () -> BrokerConnection.factory(externalWithoutCertificate));

        Rabbit noTls = new Rabbit("localhost", OptionalInt.empty(), "guest", "guest", Optional.empty(),
                RabbitMqConfig.Sasl.PLAIN, "/", 5000, new Tls(false, Optional.empty(), Optional.empty(),
                Optional.empty(), true));
        assertEquals(5672, BrokerConnection.factory(noTls).getPort());
        assertTrue(!BrokerConnection.factory(noTls).isSSL());
    }

    private static Tls tls(String caFile, boolean verifyHostname) {
        return new Tls(true, Optional.of(caFile), Optional.empty(), Optional.empty(), verifyHostname);
    }

    private static Rabbit config(int port, Tls tls) {
        return new Rabbit("localhost", OptionalInt.of(port), "guest", "guest", Optional.empty(),
                RabbitMqConfig.Sasl.PLAIN, "/", 5000, tls);
    }

    /** Connects; the stand-in broker hangs up after the header, so every attempt ends in an exception. */
    private static Exception attempt(Rabbit config) {
        return assertThrows(Exception.class, () -> BrokerConnection.factory(config).newConnection().close());
    }

    private static String chain(Throwable error) {
        StringBuilder names = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            names.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" <- ");
        }
        return names.toString();
    }

    private static String pem(String name) {
        return dir.resolve(name + ".pem").toString();
    }

    /** A TLS server socket that accepts one connection, completes the handshake and reads the protocol header. */
    private static final class Broker {
        final CompletableFuture<byte[]> header = new CompletableFuture<>();
        int port;

        static Broker start(String identity, boolean needClientCertificate) {
            Broker broker = new Broker();
            try {
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore(identity), PASSWORD.toCharArray());
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(keyStore("backbone"));
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
                SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                        .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
                server.setNeedClientAuth(needClientCertificate);
                broker.port = server.getLocalPort();
                Thread thread = new Thread(() -> broker.serve(server), "tls-broker-" + identity);
                thread.setDaemon(true);
                thread.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return broker;
        }

        private void serve(SSLServerSocket server) {
            try (server; SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(20_000);
                socket.startHandshake();
                header.complete(socket.getInputStream().readNBytes(AMQP_HEADER.length));
            } catch (IOException e) {
                header.completeExceptionally(e);
            }
        }
    }

    private static KeyStore keyStore(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(dir.resolve(name + ".p12").toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static PrivateKey privateKey(String name) throws Exception {
        return (PrivateKey) keyStore(name).getKey(name, PASSWORD.toCharArray());
    }

    private static void keyPair(String name, String commonName, String subjectAltNames) throws Exception {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAltNames, "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", dir.resolve(name + ".pem").toString());
    }

    private static void keytool(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
