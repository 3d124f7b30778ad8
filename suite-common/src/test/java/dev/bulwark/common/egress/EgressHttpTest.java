package dev.bulwark.common.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EgressHttpTest {

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
    private HttpServer first;
    private HttpServer second;

    @BeforeEach
    void servers() throws IOException {
        first = server("first");
        second = server("second");
    }

    @AfterEach
    void stop() {
        first.stop(0);
        second.stop(0);
    }

    private HttpServer server(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.put(name + exchange.getRequestURI().getPath(), Map.of(
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "x-api-key", String.valueOf(exchange.getRequestHeaders().getFirst("X-Api-Key")),
                    "traceparent", String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")),
                    "method", exchange.getRequestMethod()));
            String query = exchange.getRequestURI().getQuery();
            if (query != null && query.startsWith("to=")) {
                exchange.getResponseHeaders().add("Location", query.substring(3));
                reply(exchange, exchange.getRequestURI().getPath().equals("/303") ? 303 : 302, "");
            } else if (exchange.getRequestURI().getPath().equals("/loop")) {
                exchange.getResponseHeaders().add("Location", "/loop");
                reply(exchange, 307, "");
            } else if (exchange.getRequestURI().getPath().equals("/big")) {
                reply(exchange, 200, "x".repeat(2048));
            } else {
                reply(exchange, 200, "hello from " + name);
            }
        });
        server.start();
        return server;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private String url(HttpServer server, String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    private EgressHttp http(List<String> hosts, List<String> cidrs) {
        return new EgressHttp(EgressPolicy.of(new EgressRules(hosts, cidrs, List.of())), client, 3, 1024);
    }

    @Test
    void theCurrentTraceGoesAlongAsTraceparentAndNoneOutsideATrace() throws Exception {
        EgressHttp http = http(List.of(), List.of("127.0.0.1/32"));
        Span span = SdkTracerProvider.builder().build().get("test").spanBuilder("call").startSpan();
        try (Scope scope = span.makeCurrent()) {
            http.send(HttpRequest.newBuilder(URI.create(url(first, "/traced"))).build(), Set.of());
        } finally {
            span.end();
        }
        http.send(HttpRequest.newBuilder(URI.create(url(first, "/untraced"))).build(), Set.of());
        assertEquals("00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-01",
                seen.get("first/traced").get("traceparent"));
        assertEquals("null", seen.get("first/untraced").get("traceparent"));
    }

    @Test
    void loopbackIsRefusedBeforeAnyRequestIsMade() {
        EgressRefused refused = assertThrows(EgressRefused.class, () -> http(List.of(), List.of())
                .send(HttpRequest.newBuilder(URI.create(url(first, "/x"))).build(), Set.of()));
        assertTrue(refused.getMessage().contains("loopback"), refused.getMessage());
        assertTrue(seen.isEmpty());
    }

    @Test
    void aRedirectToAnotherOriginDropsCredentialHeaders() throws Exception {
        String target = url(second, "/landing");
        EgressResponse response = http(List.of(), List.of("127.0.0.1/32")).send(HttpRequest.newBuilder(
                        URI.create(url(first, "/go?to=" + target)))
                .header("Authorization", "Bearer secret").header("X-Api-Key", "k").build(), Set.of("x-api-key"));
        assertEquals(200, response.status());
        assertEquals("hello from second", response.bodyAsString());
        assertEquals(URI.create(target), response.uri());
        assertEquals("Bearer secret", seen.get("first/go").get("authorization"));
        assertEquals("null", seen.get("second/landing").get("authorization"));
        assertEquals("null", seen.get("second/landing").get("x-api-key"));
    }

    @Test
    void aRedirectWithinTheOriginKeepsThemAndA303BecomesAGet() throws Exception {
        http(List.of(), List.of("127.0.0.1/32")).send(HttpRequest.newBuilder(URI.create(url(first, "/303?to=/next")))
                .header("Authorization", "Bearer secret")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), Set.of());
        assertEquals("POST", seen.get("first/303").get("method"));
        assertEquals("GET", seen.get("first/next").get("method"));
        assertEquals("Bearer secret", seen.get("first/next").get("authorization"));
    }

    @Test
    void everyHopIsChecked() {
        // Only the first server's port is allowed: the redirect to the second is refused and never requested.
        String allowed = "127.0.0.1:" + first.getAddress().getPort();
        EgressRefused refused = assertThrows(EgressRefused.class, () -> http(List.of(allowed), List.of())
                .send(HttpRequest.newBuilder(URI.create(url(first, "/go?to=" + url(second, "/x")))).build(), Set.of()));
        assertTrue(refused.getMessage().contains("loopback"), refused.getMessage());
        assertNull(seen.get("second/x"));
    }

    @Test
    void redirectsAndBodiesAreBounded() {
        EgressHttp http = http(List.of(), List.of("127.0.0.1/32"));
        EgressRefused loop = assertThrows(EgressRefused.class,
                () -> http.send(HttpRequest.newBuilder(URI.create(url(first, "/loop"))).build(), Set.of()));
        assertTrue(loop.getMessage().contains("3 redirects"), loop.getMessage());
        BodyTooLarge tooLarge = assertThrows(BodyTooLarge.class,
                () -> http.send(HttpRequest.newBuilder(URI.create(url(first, "/big"))).build(), Set.of()));
        assertTrue(tooLarge.getMessage().contains("1024"));
    }

    @Test
    void aClientThatFollowsRedirectsItselfIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new EgressHttp(EgressPolicy.of(EgressRules.NONE),
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()));
    }
}
