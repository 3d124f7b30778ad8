package dev.bulwark.relay.feed.domain;

import java.net.URI;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Feed URLs as the relay shows them back: user info, every query parameter's value and any fragment are masked,
 * since feed providers put API keys there ({@code https://***@host/path?api_key=***}). The stored URL is used
 * only to download.
 */
public final class FeedUrls {

    static final String MASK = "***";

    private FeedUrls() {
    }

    public static String mask(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return MASK;
        }
        if (uri.getScheme() == null) {
            return MASK;
        }
        if (uri.isOpaque()) {
            return uri.getScheme() + ":" + MASK;
        }
        StringBuilder masked = new StringBuilder(uri.getScheme()).append(':');
        if (url.strip().startsWith("//", uri.getScheme().length() + 1)) {
            masked.append("//");
        }
        if (uri.getRawAuthority() != null) {
            if (uri.getHost() == null) {
                return MASK;
            }
            if (uri.getRawUserInfo() != null) {
                masked.append(MASK).append('@');
            }
            masked.append(uri.getHost());
            if (uri.getPort() >= 0) {
                masked.append(':').append(uri.getPort());
            }
        }
        masked.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            masked.append('?').append(Arrays.stream(uri.getRawQuery().split("&", -1))
                    .map(p -> p.contains("=") ? p.substring(0, p.indexOf('=') + 1) + MASK : MASK)
                    .collect(Collectors.joining("&")));
        }
        if (uri.getRawFragment() != null) {
            masked.append('#').append(MASK);
        }
        return masked.toString();
    }

    /** The text with every occurrence of the feed's URL masked, for outcomes and log lines that quote it. */
    static String maskIn(String text, String url) {
        return text == null ? null : text.replace(url.strip(), mask(url));
    }
}
