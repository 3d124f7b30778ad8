package dev.bulwark.orchestrator.tester.domain;

import dev.bulwark.common.egress.TrustAll;
import dev.bulwark.orchestrator.job.domain.Job.Authentication;
import dev.bulwark.orchestrator.job.domain.Job.Route;
import dev.bulwark.orchestrator.job.domain.Job;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HTTP side of one {@code app} tester session: a client that keeps the session's cookies and never follows
 * redirects, requests that carry the job's authentication header, and answers read only after the egress policy
 * allowed their destination.
 */
final class TargetClient {

    /** Methods that change nothing on the target (RFC 9110): one of them may be sent again. */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private static final Pattern CHARSET = Pattern.compile("charset=\"?([\\w.:-]+)", Pattern.CASE_INSENSITIVE);

    private final Job job;
    private final TesterContext context;
    private final HttpClient client;
    private final String base;
    private boolean truncationReported;

    TargetClient(Job job, TesterContext context) {
        this.job = job;
        this.context = context;
        this.base = job.target().baseUrl();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(context.requestTimeout())
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
        if (job.target().https()) {
            builder.sslContext(TrustAll.context("TLS"));
        }
        this.client = builder.build();
    }

    /** What the tests look at of a response; the body is cut at {@code bulwark.egress.max-body}. */
    record Answer(int statusCode, HttpHeaders headers, String body) {
    }

    Answer submit(Route route, Map<String, String> values) throws IOException, InterruptedException {
        if (route.method().equals("GET") || route.method().equals("DELETE")) {
            return send(request(route.path() + "?" + encode(values)).method(route.method(),
                    HttpRequest.BodyPublishers.noBody()));
        }
        return send(request(route.path()).header("Content-Type", "application/x-www-form-urlencoded")
                .method(route.method(), HttpRequest.BodyPublishers.ofString(encode(values))));
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(context.requestTimeout())
                .header("User-Agent", "Bulwark-app-tester");
        if (job.auth().strategy() == Authentication.Strategy.HEADER) {
            builder.header(job.auth().headerName(), job.auth().headerValue());
        }
        return builder;
    }

    /**
     * Sends a request once the egress policy allowed its destination, and reads at most
     * {@code bulwark.egress.max-body} of the answer: the rest is never read.
     */
    Answer send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpRequest request = builder.build();
        context.checkEgress(request.uri());
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (!SAFE_METHODS.contains(request.method())) {
                throw e;
            }
            // A kept-alive connection the target closed meanwhile (an HTTP/1.0 server does after each answer): the
            // JDK client sends only GET and HEAD again by itself, so a safe method is sent once more here.
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        }
        int max = (int) Math.min(Integer.MAX_VALUE - 8, context.maxResponseBody());
        byte[] body;
        boolean cut;
        try (InputStream in = response.body()) {
            body = in.readNBytes(max);
            cut = in.read() != -1;
        }
        if (cut && !truncationReported) {
            truncationReported = true;
            context.progress("A response of " + response.uri().getPath() + " is longer than " + max
                    + " bytes: only its beginning is examined");
        }
        return new Answer(response.statusCode(), response.headers(), new String(body, charset(response)));
    }

    boolean sameOrigin(URI uri) {
        URI origin = URI.create(base);
        return origin.getScheme().equalsIgnoreCase(uri.getScheme())
                && origin.getHost().equalsIgnoreCase(uri.getHost()) && origin.getPort() == uri.getPort();
    }

    private static Charset charset(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").map(CHARSET::matcher).filter(Matcher::find)
                .map(m -> {
                    try {
                        return Charset.forName(m.group(1));
                    } catch (IllegalArgumentException e) {
                        return StandardCharsets.UTF_8;
                    }
                }).orElse(StandardCharsets.UTF_8);
    }

    static String encode(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue() == null ? "" : e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
