package dev.bulwark.orchestrator.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A web application on 127.0.0.1 for the {@code app} tester: {@link #planted()} has the problems the tester must
 * find, {@link #clean()} has none of them. Requests can be held at a gate to pace or stall a run.
 */
public final class TargetApp implements AutoCloseable {

    /** Size of the answers under {@code /big}: far over the testers' limit ({@code bulwark.egress.max-body}). */
    public static final long BIG_BODY = 32L * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final boolean vulnerable;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger bigBodiesSent = new AtomicInteger();
    private final Semaphore gate = new Semaphore(0);
    private volatile boolean gated;

    private TargetApp(boolean vulnerable, SSLContext tls) {
        this.vulnerable = vulnerable;
        try {
            if (tls == null) {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } else {
                HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Missing security headers, an insecure session cookie, a reflecting field, TRACE, a stack trace, … */
    public static TargetApp planted() {
        return new TargetApp(true, null);
    }

    public static TargetApp clean() {
        return new TargetApp(false, null);
    }

    /** {@link #clean()} over https, with a self-signed certificate that has no subject alternative names. */
    public static TargetApp cleanHttpsWithoutSubjectAlternativeNames() throws Exception {
        return new TargetApp(false, TargetTls.serverContext("-1d", 30, null));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    /** Answers under {@code /big} whose {@value #BIG_BODY}-byte body the client read to the end. */
    public int bigBodiesSent() {
        return bigBodiesSent.get();
    }

    /** From now on each request waits for a permit from {@link #release(int)} or {@link #open()}. */
    public void hold() {
        gate.drainPermits();
        gated = true;
    }

    public void release(int permits) {
        gate.release(permits);
    }

    /** Lets every held and future request through. */
    public void open() {
        gated = false;
        gate.release(1_000_000);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try {
            if (gated && !gate.tryAcquire(120, TimeUnit.SECONDS)) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (vulnerable) {
                vulnerable(exchange);
            } else {
                clean(exchange);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private void vulnerable(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> params = params(exchange);
        var headers = exchange.getResponseHeaders();
        headers.add("Server", "Apache/2.4.1 (Unix)");
        headers.add("X-Powered-By", "PHP/5.6.40");
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null) {
            headers.add("Access-Control-Allow-Origin", origin);
            headers.add("Access-Control-Allow-Credentials", "true");
        }
        if (method.equals("TRACE")) {
            StringBuilder echo = new StringBuilder("TRACE " + path + " HTTP/1.1\r\n");
            exchange.getRequestHeaders().forEach((k, v) -> echo.append(k).append(": ").append(v.get(0)).append("\r\n"));
            send(exchange, 200, "message/http", echo.toString());
            return;
        }
        if (method.equals("OPTIONS")) {
            headers.add("Allow", "GET, POST, PUT, DELETE, TRACE, OPTIONS");
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        if (path.equals("/login") && method.equals("POST")) {
            headers.add("Set-Cookie", "sid=s3cr3t-session; Path=/");
            headers.add("Location", "/dashboard");
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        if (path.equals("/dashboard")) {
            send(exchange, 200, "text/html", "<html><body><a href=\"/logout\">Log Out</a></body></html>");
            return;
        }
        if (params.containsKey("next")) {
            headers.add("Location", params.get("next"));
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        if (path.startsWith("/profile") || path.startsWith("/page")) {
            if (!path.equals("/profile") && !path.startsWith("/page")) {
                send(exchange, 500, "text/html", "<pre>java.lang.IllegalStateException: no such profile\n"
                        + "\tat com.example.profile.ProfileController.show(ProfileController.java:42)\n</pre>");
                return;
            }
            String first = params.getOrDefault("firstName", "");
            String last = params.getOrDefault("lastName", "");
            send(exchange, 200, "text/html", "<html><body><form method=\"post\">Hello " + first + " "
                    + escape(last) + "<input name=\"firstName\"><input name=\"lastName\"></form></body></html>");
            return;
        }
        send(exchange, 404, "text/plain", "not found");
    }

    private void clean(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        var headers = exchange.getResponseHeaders();
        headers.add("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        headers.add("X-Content-Type-Options", "nosniff");
        headers.add("X-Frame-Options", "DENY");
        headers.add("Referrer-Policy", "no-referrer");
        if (path.startsWith("/big")) {
            sendBig(exchange);
            return;
        }
        if (method.equals("TRACE") || method.equals("PUT") || method.equals("DELETE")) {
            headers.add("Allow", "GET, POST");
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        if (method.equals("OPTIONS")) {
            headers.add("Allow", "GET, POST, OPTIONS");
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        if (path.equals("/login") && method.equals("POST")) {
            headers.add("Set-Cookie", "sid=s3cr3t-session; Path=/; Secure; HttpOnly; SameSite=Strict");
            headers.add("Location", "/dashboard");
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        if (path.equals("/dashboard")) {
            send(exchange, 200, "text/html", "<html><body><a href=\"/logout\">Log Out</a></body></html>");
            return;
        }
        if (path.equals("/profile") || path.startsWith("/page")) {
            Map<String, String> params = params(exchange);
            send(exchange, 200, "text/html", "<html><body>Hello " + escape(params.getOrDefault("firstName", ""))
                    + " " + escape(params.getOrDefault("lastName", "")) + "</body></html>");
            return;
        }
        send(exchange, 404, "text/plain", "Not found");
    }

    /** {@value #BIG_BODY} bytes, chunked; a client that stops reading makes the writes fail. */
    private void sendBig(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        byte[] block = "<p>big</p>".repeat(6_554).getBytes(StandardCharsets.UTF_8);
        try (var out = exchange.getResponseBody()) {
            for (long sent = 0; sent < BIG_BODY; sent += block.length) {
                out.write(block);
            }
        }
        bigBodiesSent.incrementAndGet();
    }

    private static Map<String, String> params(HttpExchange exchange) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String part : ((query == null ? "" : query) + "&" + body).split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        open();
        server.stop(0);
        executor.shutdownNow();
    }
}
