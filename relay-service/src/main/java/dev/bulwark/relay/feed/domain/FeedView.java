package dev.bulwark.relay.feed.domain;

import java.time.Instant;
import java.util.UUID;

/** A scheduled feed and how its last pull went; the URL masked (see {@link FeedUrls}). */
public record FeedView(UUID id, String name, String url, String format, Integer disposition, int intervalSeconds,
                       Instant lastPulledAt, String lastOutcome) {

    static FeedView of(Feed feed) {
        return new FeedView(feed.id, feed.name, FeedUrls.mask(feed.url), feed.format,
                feed.disposition == null ? null : feed.disposition.intValue(), feed.intervalSeconds, feed.lastPulledAt,
                feed.lastOutcome);
    }
}
