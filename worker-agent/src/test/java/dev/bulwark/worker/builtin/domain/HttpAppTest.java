package dev.bulwark.worker.builtin.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.common.egress.EgressRules;
import dev.bulwark.common.testing.SelfSignedTls;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.RunControl;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in http app against a local JDK HTTP server (and an HTTPS one with a self-signed certificate). */
class HttpAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private static HttpServer server;
    private static HttpsServer tls;
    private static String base;
    private static String tlsBase;

    private static final String ORG = "org-under-test";
    /** What these tests reach is on 127.0.0.1, allow-listed here; the default policy refuses it. */
    private static final EgressPolicy LOOPBACK_ALLOWED = EgressPolicy.of(
            new EgressRules(List.of(), List.of("127.0.0.0/8"), List.of()));

    private static HttpServer other;
    private static String otherBase;

    private final HttpApp app = new HttpApp(JSON, LOOPBACK_ALLOWED, 1000, Duration.ofSeconds(2));

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/json", exchange -> answer(exchange, 200, "application/json", "{\"ok\":true,\"n\":[1,2]}"));
        server.createContext("/echo", HttpAppTest::echo);
        server.createContext("/missing", exchange -> answer(exchange, 404, "text/plain", "no such thing"));
        server.createContext("/big", exchange -> answer(exchange, 200, "text/plain", "x".repeat(1001)));
        server.createContext("/slow", exchange -> {
            try {
                NEVER.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "text/plain", "late");
        });
        server.createContext("/elsewhere", exchange -> redirect(exchange, otherBase + "/echo"));
        server.createContext("/here", exchange -> redirect(exchange, "/echo"));
        server.createContext("/metadata", exchange -> redirect(exchange, "http://169.254.169.254/latest/meta-data/"));
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();

        // Another port is another origin.
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/echo", HttpAppTest::echo);
        other.start();
        otherBase = "http://127.0.0.1:" + other.getAddress().getPort();

        tls = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(
                SelfSignedTls.serverContext(dir, "127.0.0.1", "ip:127.0.0.1")));
        tls.createContext("/json", exchange -> answer(exchange, 200, "application/json", "{\"secure\":true}"));
        tls.start();
        tlsBase = "https://127.0.0.1:" + tls.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        NEVER.countDown();
        server.stop(0);
        other.stop(0);
        tls.stop(0);
    }

    @Test
    void aJsonResponseIsParsed() throws Exception {
        JsonNode out = run(params().put("url", base + "/json"));
        assertThat(out.get("status").asInt()).isEqualTo(200);
        assertThat(out.at("/body/ok").asBoolean()).isTrue();
        assertThat(out.at("/body/n/1").asInt()).isEqualTo(2);
        assertThat(out.at("/headers/content-type").asText()).isEqualTo("application/json");
    }

    @Test
    void methodQueryHeadersAndJsonBodyReachTheServer() throws Exception {
        ObjectNode p = params().put("method", "post").put("url", base + "/echo?keep=1");
        p.putObject("query").put("q", "a b&c").putArray("tag").add("x").add("y");
        p.putObject("headers").put("X-Case", "42").put("Authorization", "Bearer secret-token");
        p.putObject("body").put("ip", "10.0.0.1");
        JsonNode body = app.run(ORG, "request", p, control(10)).get("body");
        assertThat(body.get("method").asText()).isEqualTo("POST");
        assertThat(body.get("query").asText()).isEqualTo("keep=1&q=a+b%26c&tag=x&tag=y");
        assertThat(body.get("contentType").asText()).isEqualTo("application/json");
        assertThat(body.get("xCase").asText()).isEqualTo("42");
        assertThat(body.get("authorization").asText()).isEqualTo("Bearer secret-token");
        assertThat(body.get("body").asText()).isEqualTo("{\"ip\":\"10.0.0.1\"}");
    }

    @Test
    void aTextBodyIsSentAsGivenWithItsOwnContentType() throws Exception {
        ObjectNode p = params().put("method", "PUT").put("url", base + "/echo").put("body", "plain words");
        p.putObject("headers").put("Content-Type", "text/plain");
        JsonNode body = app.run(ORG, "request", p, control(10)).get("body");
        assertThat(body.get("contentType").asText()).isEqualTo("text/plain");
        assertThat(body.get("body").asText()).isEqualTo("plain words");
    }

    @Test
    void anErrorStatusIsAResultNotAFailure() throws Exception {
        JsonNode out = run(params().put("url", base + "/missing"));
        assertThat(out.get("status").asInt()).isEqualTo(404);
        assertThat(out.get("body").asText()).isEqualTo("no such thing");
    }

    @Test
    void aResponseOverTheSizeCapFails() {
        assertThatThrownBy(() -> run(params().put("url", base + "/big")))
                .isInstanceOf(ActionFailed.class).hasMessage("response body larger than 1000 bytes");
    }

    @Test
    void theRequestTimeoutIsEnforced() {
        Instant start = Instant.now();
        assertThatThrownBy(() -> run(params().put("url", base + "/slow").put("timeoutSeconds", 0.5)))
                .isInstanceOf(ActionFailed.class).hasMessageContaining("no response from 127.0.0.1 within 500 ms");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void theTaskDeadlineBoundsTheRequest() {
        assertThatThrownBy(() -> app.run(ORG, "request", params().put("url", base + "/slow"), control(1)))
                .isInstanceOf(ActionFailed.class).hasMessageContaining("no response from 127.0.0.1 within");
    }

    @Test
    void aRefusedConnectionFails() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> run(params().put("url", "http://127.0.0.1:" + closed + "/")))
                .isInstanceOf(ActionFailed.class).hasMessageContaining("request to 127.0.0.1 failed");
    }

    @Test
    void onlyHttpUrlsAndKnownMethodsAreAccepted() {
        assertThatThrownBy(() -> run(params().put("url", "file:///etc/passwd")))
                .isInstanceOf(ActionFailed.class).hasMessage("url must be an absolute http or https URL");
        assertThatThrownBy(() -> run(params().put("url", base + "/json").put("method", "TRACE")))
                .isInstanceOf(ActionFailed.class).hasMessageContaining("method 'TRACE' is not one of");
        assertThatThrownBy(() -> run(JSON.createObjectNode()))
                .isInstanceOf(ActionFailed.class).hasMessage("parameter 'url' is required");
        assertThatThrownBy(() -> app.run(ORG, "download", params(), control(5)))
                .isInstanceOf(ActionFailed.class).hasMessageContaining("no action 'download'");
    }

    @Test
    void tlsIsVerifiedByDefaultAndCanBeSkippedOnRequest() throws Exception {
        assertThatThrownBy(() -> run(params().put("url", tlsBase + "/json")))
                .isInstanceOf(ActionFailed.class).hasMessageContaining("TLS with 127.0.0.1 failed");
        JsonNode out = run(params().put("url", tlsBase + "/json").put("verifyTls", false));
        assertThat(out.at("/body/secure").asBoolean()).isTrue();
    }

    @Test
    void loopbackIsRefusedByTheDefaultPolicyWithItsReason() {
        HttpApp byDefault = new HttpApp(JSON, EgressPolicy.of(new EgressRules(List.of(), List.of(), List.of())), 1000,
                Duration.ofSeconds(2));
        assertThatThrownBy(() -> byDefault.run(ORG, "request", params().put("url", base + "/json"), control(10)))
                .isInstanceOf(ActionFailed.class)
                .hasMessageStartingWith("http://127.0.0.1:" + server.getAddress().getPort()
                        + " is refused by the egress policy: 127.0.0.1 is a loopback address")
                .hasMessageContaining("bulwark.egress.allow-cidrs");
        assertThatThrownBy(() -> byDefault.run(ORG, "request", params().put("url",
                "http://169.254.169.254/latest/meta-data/"), control(10)))
                .isInstanceOf(ActionFailed.class).hasMessageContaining("169.254.169.254 is a link-local address");
    }

    @Test
    void loopbackIsReachedWhenAllowListed() throws Exception {
        HttpApp allowingThePort = new HttpApp(JSON, EgressPolicy.of(new EgressRules(
                List.of("127.0.0.1:" + server.getAddress().getPort()), List.of(), List.of())), 1000, Duration.ofSeconds(2));
        JsonNode out = allowingThePort.run(ORG, "request", params().put("url", base + "/json"), control(10));
        assertThat(out.at("/body/ok").asBoolean()).isTrue();
        assertThatThrownBy(() -> allowingThePort.run(ORG, "request", params().put("url", otherBase + "/echo"),
                control(10))).isInstanceOf(ActionFailed.class).hasMessageContaining("is refused by the egress policy");
    }

    @Test
    void aRedirectToAnotherOriginCarriesNoCredentialHeaders() throws Exception {
        ObjectNode p = params().put("url", base + "/elsewhere");
        p.putObject("headers").put("Authorization", "Bearer secret-token").put("X-Api-Key", "secret-key")
                .put("Accept", "application/json");
        JsonNode out = run(p);
        assertThat(out.get("status").asInt()).isEqualTo(200);
        assertThat(out.at("/body/authorization").isNull()).as("Authorization after the redirect").isTrue();
        assertThat(out.at("/body/apiKey").isNull()).as("X-Api-Key after the redirect").isTrue();
        assertThat(out.at("/body/accept").asText()).isEqualTo("application/json");
    }

    @Test
    void aRedirectWithinTheOriginKeepsThem() throws Exception {
        ObjectNode p = params().put("url", base + "/here");
        p.putObject("headers").put("Authorization", "Bearer secret-token");
        assertThat(run(p).at("/body/authorization").asText()).isEqualTo("Bearer secret-token");
    }

    @Test
    void everyRedirectHopIsCheckedByThePolicy() {
        assertThatThrownBy(() -> run(params().put("url", base + "/metadata"))).isInstanceOf(ActionFailed.class)
                .hasMessageContaining("is refused by the egress policy: 169.254.169.254 is a link-local address");
    }

    private JsonNode run(ObjectNode parameters) throws Exception {
        return app.run(ORG, "request", parameters, control(10));
    }

    private static ObjectNode params() {
        return JSON.createObjectNode();
    }

    private static RunControl control(int seconds) {
        return new RunControl(Instant.now().plusSeconds(seconds));
    }

    private static void echo(HttpExchange exchange) throws IOException {
        ObjectNode seen = JSON.createObjectNode();
        seen.put("method", exchange.getRequestMethod());
        seen.put("query", exchange.getRequestURI().getRawQuery());
        seen.put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"));
        seen.put("xCase", exchange.getRequestHeaders().getFirst("X-Case"));
        seen.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
        seen.put("apiKey", exchange.getRequestHeaders().getFirst("X-Api-Key"));
        seen.put("accept", exchange.getRequestHeaders().getFirst("Accept"));
        try (InputStream in = exchange.getRequestBody()) {
            seen.put("body", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        answer(exchange, 200, "application/json; charset=utf-8", seen.toString());
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
