package dev.bulwark.relay.indicator.api;

import dev.bulwark.relay.indicator.domain.ExternalReference;
import dev.bulwark.relay.indicator.domain.Indicator;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An indicator as the suite API shows it. */
public record IndicatorView(UUID id, String type, String value, int disposition, String dispositionName,
                            String confidence, String severity, String source, List<String> tags, String tlp,
                            String description, Instant validFrom, Instant validUntil, String externalId,
                            List<ExternalReference> externalReferences) {

    static IndicatorView of(Indicator i) {
        return new IndicatorView(i.id, i.type, i.value, i.disposition, Vocabulary.dispositionName(i.disposition),
                i.confidence, i.severity, i.source, i.tags, i.tlp, i.description, i.validFrom, i.validUntil,
                i.externalId, i.externalReferences);
    }
}
