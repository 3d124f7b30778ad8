package dev.bulwark.common.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Server TLS contexts with a fresh self-signed RSA certificate made by the JDK's keytool, for test servers. */
public final class SelfSignedTls {

    private static final String PASSWORD = "changeit";

    private SelfSignedTls() {
    }

    /**
     * A context whose certificate names {@code CN=<commonName>}, valid for two days; {@code san} (keytool syntax, e.g.
     * {@code ip:127.0.0.1}) null for a certificate without subject alternative names. The key store goes to {@code dir}.
     */
    public static SSLContext serverContext(Path dir, String commonName, String san) throws Exception {
        Path store = dir.resolve("server.p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + commonName));
        if (san != null) {
            command.addAll(List.of("-ext", "SAN=" + san));
        }
        command.addAll(List.of("-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0 || !Files.exists(store)) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
