package dev.bulwark.relay.feed.messaging;

import dev.bulwark.common.egress.BodyTooLarge;
import dev.bulwark.common.egress.EgressHttp;
import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.common.egress.EgressRefused;
import dev.bulwark.common.egress.EgressResponse;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Unavailable;
import dev.bulwark.relay.config.RelayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Downloads feeds with conditional requests ({@code If-None-Match} / {@code If-Modified-Since}, or a file's
 * modification time), bounded in time and size. {@code http(s):} downloads pass the suite's egress policy with the
 * feed organisation's allow-lists, at creation and at every hop of every pull, redirects included. {@code file:}
 * URLs must resolve inside the feed organisation's directory under the configured root
 * ({@code <file-root>/<org-id>/}), so a feed cannot read arbitrary files of the host nor another organisation's feed
 * files.
 */
@ApplicationScoped
public class FeedDownloader {

    private static final Pattern SAFE_DIRECTORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final RelayConfig.Feeds config;
    private final EgressPolicy egress;
    private final HttpClient http;

    FeedDownloader(RelayConfig config, EgressPolicy egress) {
        this.config = config.feeds();
        this.egress = egress;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.fetchTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The body and validators of a download; a null body means not modified since the validators given. */
    public record Download(String body, String etag, String lastModified) {
    }

    /**
     * Throws {@link Invalid} when the URL is not one the relay may pull for the organisation, {@link EgressRefused}
     * when the egress policy refuses its destination.
     */
    public void check(String org, String url) {
        URI uri = parse(url);
        switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "https" -> egress.forOrganisation(org).check(uri);
            case "http" -> {
                if (!config.allowHttp()) {
                    throw new Invalid("feed URLs must be https: (plain http: is switched off)");
                }
                egress.forOrganisation(org).check(uri);
            }
            case "file" -> filePath(org, uri);
            default -> throw new Invalid("feed URLs must be https: or file:");
        }
    }

    public Download download(String org, String url, String etag, String lastModified) {
        check(org, url);
        URI uri = parse(url);
        return uri.getScheme().equalsIgnoreCase("file") ? file(filePath(org, uri), lastModified)
                : http(org, uri, etag, lastModified);
    }

    private Download file(Path path, String lastModified) {
        try {
            String modified = Files.getLastModifiedTime(path).toString();
            if (modified.equals(lastModified)) {
                return new Download(null, null, modified);
            }
            if (Files.size(path) > config.maxBytes()) {
                throw new Unavailable("feed file is larger than " + config.maxBytes() + " bytes", null);
            }
            return new Download(Files.readString(path, StandardCharsets.UTF_8), null, modified);
        } catch (IOException e) {
            throw new Unavailable("feed file cannot be read: " + e.getClass().getSimpleName(), e);
        }
    }

    private Download http(String org, URI uri, String etag, String lastModified) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.fetchTimeout()).GET();
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        if (lastModified != null) {
            request.header("If-Modified-Since", lastModified);
        }
        EgressHttp client = new EgressHttp(egress.forOrganisation(org), http, egress.maxRedirects(), config.maxBytes());
        try {
            EgressResponse response = client.send(request.build(), Set.of());
            if (response.status() == 304) {
                return new Download(null, etag, lastModified);
            }
            if (response.status() != 200) {
                throw new Unavailable("feed server answered HTTP " + response.status(), null);
            }
            return new Download(response.bodyAsString(), response.headers().firstValue("ETag").orElse(null),
                    response.headers().firstValue("Last-Modified").orElse(null));
        } catch (BodyTooLarge e) {
            throw new Unavailable("feed is larger than " + config.maxBytes() + " bytes", e);
        } catch (IOException e) {
            throw new Unavailable("feed cannot be downloaded: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("feed download was interrupted", e);
        }
    }

    private Path filePath(String org, URI uri) {
        Path root = config.fileRoot().orElseThrow(() -> new Invalid("file: feeds are switched off (no file root)"));
        if (!SAFE_DIRECTORY.matcher(org).matches()) {
            throw new Invalid("file: feeds need an organisation id usable as a directory name");
        }
        Path path;
        try {
            path = Path.of(uri).toAbsolutePath().normalize();
            Path orgRoot = root.resolve(org);
            Path realRoot = Files.exists(orgRoot) ? orgRoot.toRealPath() : orgRoot.toAbsolutePath().normalize();
            Path real = Files.exists(path) ? path.toRealPath() : path;
            if (!real.startsWith(realRoot)) {
                throw new Invalid("file: feeds must lie in the organisation's directory under the feed root");
            }
            return real;
        } catch (IllegalArgumentException | IOException e) {
            throw new Invalid("the feed URL is not a usable file: URL");
        }
    }

    private static URI parse(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null) {
                throw new Invalid("the feed URL has no scheme");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new Invalid("the feed URL is not a URL");
        }
    }
}
