package dev.bulwark.relay.feed;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Unavailable;
import dev.bulwark.relay.config.RelayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Downloads feeds with conditional requests ({@code If-None-Match} / {@code If-Modified-Since}, or a file's
 * modification time), bounded in time and size. {@code file:} URLs must resolve inside the configured root so a
 * feed cannot read arbitrary files of the host.
 */
@ApplicationScoped
public class FeedDownloader {

    private final RelayConfig.Feeds config;
    private final HttpClient http;

    FeedDownloader(RelayConfig config) {
        this.config = config.feeds();
        this.http = HttpClient.newBuilder().connectTimeout(this.config.fetchTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The body and validators of a download; a null body means not modified since the validators given. */
    record Download(String body, String etag, String lastModified) {
    }

    /** Throws {@link Invalid} when the URL is not one the relay may pull. */
    public void check(String url) {
        URI uri = parse(url);
        switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "https" -> { }
            case "http" -> {
                if (!config.allowHttp()) {
                    throw new Invalid("feed URLs must be https: (plain http: is switched off)");
                }
            }
            case "file" -> filePath(uri);
            default -> throw new Invalid("feed URLs must be https: or file:");
        }
    }

    Download download(String url, String etag, String lastModified) {
        check(url);
        URI uri = parse(url);
        return uri.getScheme().equalsIgnoreCase("file") ? file(filePath(uri), lastModified)
                : http(uri, etag, lastModified);
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

    private Download http(URI uri, String etag, String lastModified) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.fetchTimeout()).GET();
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        if (lastModified != null) {
            request.header("If-Modified-Since", lastModified);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() == 304) {
                    return new Download(null, etag, lastModified);
                }
                if (response.statusCode() != 200) {
                    throw new Unavailable("feed server answered HTTP " + response.statusCode(), null);
                }
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBytes() + 1));
                if (bytes.length > config.maxBytes()) {
                    throw new Unavailable("feed is larger than " + config.maxBytes() + " bytes", null);
                }
                return new Download(new String(bytes, StandardCharsets.UTF_8),
                        response.headers().firstValue("ETag").orElse(null),
                        response.headers().firstValue("Last-Modified").orElse(null));
            }
        } catch (IOException e) {
            throw new Unavailable("feed cannot be downloaded: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("feed download was interrupted", e);
        }
    }

    private Path filePath(URI uri) {
        Path root = config.fileRoot().orElseThrow(() -> new Invalid("file: feeds are switched off (no file root)"));
        Path path;
        try {
            path = Path.of(uri).toAbsolutePath().normalize();
            Path realRoot = root.toRealPath();
            Path real = Files.exists(path) ? path.toRealPath() : path;
            if (!real.startsWith(realRoot)) {
                throw new Invalid("file: feeds must lie under the configured feed root");
            }
            return real;
        } catch (IllegalArgumentException | IOException e) {
            throw new Invalid("'" + uri + "' is not a usable file: URL");
        }
    }

    private static URI parse(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null) {
                throw new Invalid("feed URL '" + url + "' has no scheme");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new Invalid("feed URL '" + url + "' is not a URL");
        }
    }
}
