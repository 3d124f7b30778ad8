package dev.bulwark.common.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.bulwark.common.testing.SelfSignedTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against an HTTPS server whose self-signed certificate names another host and has no subject alternative names:
 * refused by a default client, accepted through {@link TrustAll} even by {@link HttpClient}, which asks for
 * endpoint identification.
 */
class TrustAllTest {

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static URI url;

    @BeforeAll
    static void start() throws Exception {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(
                SelfSignedTls.serverContext(dir, "not-this-host.example", null)));
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void aDefaultClientRefusesTheCertificate() {
        HttpClient verifying = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(SSLHandshakeException.class, () -> get(verifying));
    }

    @Test
    void aClientWithTheTrustAllContextAcceptsItWithoutAHostNameCheck() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(TrustAll.context("TLS")).build();
        HttpResponse<String> response = get(trusting);
        assertEquals(200, response.statusCode());
        assertEquals("ok", response.body());
    }

    @Test
    void theContextHasTheProtocolAskedForAndAnUnknownOneIsAClearError() {
        assertEquals("TLSv1.2", TrustAll.context("TLSv1.2").getProtocol());
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> TrustAll.context("SSLv9"));
        assertEquals("No SSLv9 context in this JDK", unknown.getMessage());
    }

    private static HttpResponse<String> get(HttpClient client) throws Exception {
        return client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
