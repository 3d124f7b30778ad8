package dev.bulwark.workflow.credential.domain;

import dev.bulwark.common.error.Invalid;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hosts a credential may be sent to. Entries are {@code host}, {@code host:port}, {@code *.domain} or
 * {@code *.domain:port}; an entry without a port allows any port of that host. An empty list allows no host.
 */
public record AllowedHosts(List<String> entries) {

    private static final Pattern ENTRY =
            Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?"
                    + "|\\[[0-9a-f:.]+](:[0-9]{1,5})?");

    public AllowedHosts {
        entries = List.copyOf(entries);
    }

    /** Normalised entries (lower case), or {@link Invalid} naming the first malformed one. */
    public static AllowedHosts parse(List<String> given) {
        List<String> entries = new ArrayList<>();
        for (String entry : given) {
            String normal = entry == null ? "" : entry.trim().toLowerCase(Locale.ROOT);
            if (!ENTRY.matcher(normal).matches()) {
                throw new Invalid("'" + entry + "' is not a host allow-list entry: use host, host:port or *.domain");
            }
            entries.add(normal);
        }
        return new AllowedHosts(entries);
    }

    /** Stored form: comma-separated, or {@code null} for none. */
    public static AllowedHosts fromStored(String stored) {
        return new AllowedHosts(stored == null || stored.isBlank() ? List.of() : List.of(stored.split(",")));
    }

    public String stored() {
        return entries.isEmpty() ? null : String.join(",", entries);
    }

    /** The one entry that allows exactly the host and port of a server URL, such as an OpenAPI app's. */
    public static Optional<String> entryFor(String serverUrl) {
        return uri(serverUrl).map(uri -> uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() >= 0 ? ":" + uri.getPort() : ""));
    }

    /** Whether a request to {@code url} may carry the credential: an absolute http(s) URL to an allowed host. */
    public boolean allows(String url) {
        Optional<URI> parsed = uri(url);
        if (parsed.isEmpty()) {
            return false;
        }
        String host = parsed.get().getHost().toLowerCase(Locale.ROOT);
        int port = effectivePort(parsed.get());
        for (String entry : entries) {
            int colon = entry.startsWith("[") ? entry.indexOf(':', entry.indexOf(']')) : entry.lastIndexOf(':');
            String entryHost = colon < 0 ? entry : entry.substring(0, colon);
            if (colon >= 0 && Integer.parseInt(entry.substring(colon + 1)) != port) {
                continue;
            }
            boolean hostMatches = entryHost.startsWith("*.")
                    ? host.endsWith(entryHost.substring(1)) && host.length() > entryHost.length() - 1
                    : host.equals(entryHost);
            if (hostMatches) {
                return true;
            }
        }
        return false;
    }

    /** The host[:port] of a URL as shown in error messages, or the text itself when it is no absolute URL. */
    public static String destination(String url) {
        return uri(url).map(u -> u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "")).orElse(String.valueOf(url));
    }

    private static Optional<URI> uri(String url) {
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
