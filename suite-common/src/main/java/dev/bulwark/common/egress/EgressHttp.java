package dev.bulwark.common.egress;

import dev.bulwark.common.tracing.TraceContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Outbound HTTP on a user's behalf. Every hop passes the {@link EgressPolicy}; redirects are followed here, not by
 * the client, at most {@code maxRedirects} times; a hop to another origin drops {@code Authorization},
 * {@code Proxy-Authorization}, {@code Cookie} and the caller's sensitive headers; a 303, or a 301/302 after a method
 * other than GET/HEAD, continues as a GET without body; the body is read up to {@code maxBody} bytes. The current
 * trace context goes along as {@code traceparent} (the JDK client is not instrumented).
 */
public final class EgressHttp {

    private static final Set<String> ALWAYS_SENSITIVE = Set.of("authorization", "proxy-authorization", "cookie");

    private final EgressPolicy policy;
    private final HttpClient client;
    private final int maxRedirects;
    private final long maxBody;

    public EgressHttp(EgressPolicy policy, HttpClient client) {
        this(policy, client, policy.maxRedirects(), policy.maxBody());
    }

    public EgressHttp(EgressPolicy policy, HttpClient client, int maxRedirects, long maxBody) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the client must not follow redirects itself (Redirect.NEVER)");
        }
        this.policy = Objects.requireNonNull(policy);
        this.client = client;
        this.maxRedirects = maxRedirects;
        this.maxBody = maxBody;
    }

    /**
     * @param sensitiveHeaders further header names (any case) never sent to another origin than the first
     * @throws EgressRefused when a hop is refused or there are too many redirects
     * @throws BodyTooLarge when the body is over the limit
     */
    public EgressResponse send(HttpRequest request, Set<String> sensitiveHeaders)
            throws IOException, InterruptedException {
        Set<String> sensitive = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        sensitive.addAll(ALWAYS_SENSITIVE);
        sensitive.addAll(sensitiveHeaders);
        URI origin = request.uri();
        HttpRequest hop = TraceContext.withTraceHeaders(request);
        for (int redirects = 0; ; redirects++) {
            policy.check(hop.uri());
            HttpResponse<InputStream> response = client.send(hop, HttpResponse.BodyHandlers.ofInputStream());
            String location = response.headers().firstValue("Location").orElse(null);
            if (!isRedirect(response.statusCode()) || location == null) {
                return new EgressResponse(response.statusCode(), response.headers(), read(response), hop.uri());
            }
            response.body().close();
            if (redirects >= maxRedirects) {
                throw new EgressRefused("stopped after " + maxRedirects + " redirects (bulwark.egress.max-redirects)");
            }
            URI next;
            try {
                next = hop.uri().resolve(location);
            } catch (IllegalArgumentException e) {
                throw new IOException("the redirect location '" + location + "' is not a valid URI", e);
            }
            hop = redirect(hop, next, response.statusCode(), sameOrigin(origin, next) ? Set.of() : sensitive);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static HttpRequest redirect(HttpRequest previous, URI next, int status, Set<String> dropped) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(next);
        previous.timeout().ifPresent(builder::timeout);
        previous.version().ifPresent(builder::version);
        boolean keepMethod = status == 307 || status == 308
                || (status != 303 && (previous.method().equals("GET") || previous.method().equals("HEAD")));
        for (Map.Entry<String, List<String>> header : previous.headers().map().entrySet()) {
            String name = header.getKey();
            if (dropped.contains(name) || (!keepMethod && name.equalsIgnoreCase("content-type"))) {
                continue;
            }
            header.getValue().forEach(value -> builder.header(name, value));
        }
        if (keepMethod) {
            builder.method(previous.method(),
                    previous.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
        } else {
            builder.GET();
        }
        return builder.build();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost())) && port(a) == port(b);
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private byte[] read(HttpResponse<InputStream> response) throws IOException {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream body = response.body()) {
            if (declared > maxBody) {
                throw new BodyTooLarge(maxBody);
            }
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (bytes.length > maxBody) {
                throw new BodyTooLarge(maxBody);
            }
            return bytes;
        }
    }
}
