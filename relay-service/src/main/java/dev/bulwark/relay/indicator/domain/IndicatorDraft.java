package dev.bulwark.relay.indicator.domain;

import java.time.Instant;
import java.util.List;

/**
 * An indicator as a feed or an action states it, value already normalised, before it meets the store. A null
 * {@code validFrom} means the feed does not say: a new indicator is valid from now, a stored one keeps its start.
 */
public record IndicatorDraft(Normalized value, int disposition, String confidence, String severity, String source,
                             List<String> tags, String tlp, String description, Instant validFrom,
                             Instant validUntil, String externalId, List<ExternalReference> externalReferences,
                             List<SightingDraft> sightings) {

    /** A sighting reported with the indicator; {@code externalId} identifies it across re-imports. */
    public record SightingDraft(String externalId, int count, Instant firstSeen, Instant lastSeen, String title,
                                String description) {
    }
}
