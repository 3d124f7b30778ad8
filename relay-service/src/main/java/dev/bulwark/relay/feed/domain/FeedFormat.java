package dev.bulwark.relay.feed.domain;

import java.util.Locale;
import java.util.Optional;

/** The feed formats the relay imports. */
public enum FeedFormat {
    STIX, MISP, CSV;

    public static Optional<FeedFormat> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
