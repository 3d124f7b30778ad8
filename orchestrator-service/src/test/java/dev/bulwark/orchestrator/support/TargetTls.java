package dev.bulwark.orchestrator.support;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An https server on 127.0.0.1 for the {@code tls} tester, with a self-signed certificate made by the JDK's
 * {@code keytool} for this test run: {@link #planted()} has an expired certificate for another host name, offers
 * TLS 1.0 and sends no HSTS; {@link #modern()} has a current certificate for 127.0.0.1, TLS 1.2/1.3 only and HSTS.
 */
public final class TargetTls implements AutoCloseable {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    private TargetTls(String startDate, int validityDays, String san, List<String> protocols, boolean hsts)
            throws Exception {
        SSLContext context = serverContext(startDate, validityDays, san);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setProtocols(protocols.toArray(String[]::new));
                params.setSSLParameters(parameters);
            }
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            if (hsts) {
                exchange.getResponseHeaders().add("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
            }
            byte[] body = "secure hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public static TargetTls planted() throws Exception {
        return new TargetTls("-400d", 30, "dns:expired.bulwark.test", List.of("TLSv1", "TLSv1.2"), false);
    }

    public static TargetTls modern() throws Exception {
        return new TargetTls("-1d", 365, "ip:127.0.0.1", List.of("TLSv1.2", "TLSv1.3"), true);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * A server TLS context with a new self-signed RSA certificate for {@code CN=bulwark test target}, valid from
     * {@code startDate} (keytool syntax) for {@code validityDays}; {@code san} (e.g. {@code ip:127.0.0.1}) null for
     * a certificate without subject alternative names.
     */
    public static SSLContext serverContext(String startDate, int validityDays, String san) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(startDate, validityDays, san), PASSWORD);
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static KeyStore keyStore(String startDate, int validityDays, String san) throws Exception {
        Path directory = Files.createTempDirectory("bulwark-tls-target");
        Path file = directory.resolve("target.p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "target", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-dname", "CN=bulwark test target", "-startdate", startDate,
                "-validity", String.valueOf(validityDays), "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        if (san != null) {
            command.addAll(List.of("-ext", "san=" + san));
        }
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        Files.delete(file);
        Files.delete(directory);
        return store;
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        executor.shutdownNow();
    }
}
