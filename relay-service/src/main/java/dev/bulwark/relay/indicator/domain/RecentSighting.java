package dev.bulwark.relay.indicator.domain;

import java.time.Instant;

/** A sighting as the recent-sightings tile shows it. */
public record RecentSighting(Instant lastSeen, String type, String value, int disposition, int count,
                             String source) {
}
