package dev.bulwark.relay.feed.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.relay.indicator.domain.ExternalReference;
import dev.bulwark.relay.indicator.domain.ImportReport.Rejection;
import dev.bulwark.relay.indicator.domain.IndicatorDraft;
import dev.bulwark.relay.indicator.domain.IndicatorDraft.SightingDraft;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.Normalizer;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A STIX 2.1 bundle: its {@code indicator} objects (patterns as {@link StixPattern} supports), TLP markings, and
 * the {@code sighting} objects that refer to its indicators. An indicator's disposition is the declared one, else
 * Clean for {@code benign}, Suspicious for {@code anomalous-activity}, Malicious otherwise.
 */
final class StixFeedParser {

    /** The TLP marking definitions STIX 2.1 predefines. */
    private static final Map<String, String> TLP_MARKINGS = Map.of(
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "white",
            "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "green",
            "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "amber",
            "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "red");

    private StixFeedParser() {
    }

    static ParsedFeed parse(JsonNode bundle, FeedDefaults defaults) {
        if (!"bundle".equals(bundle.path("type").asText()) || !bundle.path("objects").isArray()) {
            throw new FeedSyntaxException("The body is not a STIX 2.1 bundle (an object of type 'bundle' with "
                    + "an 'objects' array)");
        }
        Map<String, String> tlps = new HashMap<>(TLP_MARKINGS);
        Map<String, List<SightingDraft>> sightings = new HashMap<>();
        ParsedFeed parsed = new ParsedFeed();
        for (JsonNode object : bundle.path("objects")) {
            switch (object.path("type").asText()) {
                case "marking-definition" -> markingTlp(object).ifPresent(t -> tlps.put(object.path("id").asText(), t));
                case "sighting" -> {
                    try {
                        sightings.computeIfAbsent(object.path("sighting_of_ref").asText(), k -> new ArrayList<>())
                                .add(sighting(object, defaults.source()));
                    } catch (IllegalArgumentException e) {
                        parsed.rejections().add(Rejection.ofId(object.path("id").asText(), null, e.getMessage()));
                    }
                }
                default -> { }
            }
        }
        for (JsonNode object : bundle.path("objects")) {
            if ("indicator".equals(object.path("type").asText())) {
                indicator(object, defaults, tlps, sightings, parsed);
            }
        }
        return parsed;
    }

    private static Optional<String> markingTlp(JsonNode marking) {
        String tlp = marking.path("definition").path("tlp").asText(null);
        if (tlp == null && marking.path("name").asText("").toUpperCase(Locale.ROOT).startsWith("TLP:")) {
            tlp = marking.path("name").asText().substring(4);
        }
        return Optional.ofNullable(tlp).map(Vocabulary::tlp);
    }

    private static SightingDraft sighting(JsonNode object, String source) {
        String id = object.path("id").asText();
        Instant first = time(object, "first_seen", time(object, "created", Instant.EPOCH));
        Instant last = time(object, "last_seen", first);
        int count = Math.max(1, object.path("count").asInt(1));
        String description = object.path("description").asText(null);
        return new SightingDraft(id, count, first, last, "Sighting reported by " + source, description);
    }

    private static void indicator(JsonNode object, FeedDefaults defaults, Map<String, String> tlps,
                                  Map<String, List<SightingDraft>> sightings, ParsedFeed parsed) {
        String id = object.path("id").asText();
        String pattern = object.path("pattern").asText("");
        String patternType = object.path("pattern_type").asText("stix");
        if (!patternType.equals("stix")) {
            parsed.rejections().add(Rejection.ofId(id, pattern, "pattern_type '" + patternType + "' is not supported"));
            return;
        }
        if (object.path("revoked").asBoolean(false)) {
            parsed.rejections().add(Rejection.ofId(id, pattern, "the indicator is revoked"));
            return;
        }
        List<StixPattern.Term> terms;
        Instant validFrom;
        Instant validUntil;
        try {
            terms = StixPattern.terms(pattern);
            validFrom = time(object, "valid_from", null);
            validUntil = time(object, "valid_until", null);
        } catch (IllegalArgumentException e) {
            parsed.rejections().add(Rejection.ofId(id, pattern, e.getMessage()));
            return;
        }
        Set<String> types = new LinkedHashSet<>();
        object.path("indicator_types").forEach(t -> types.add(t.asText()));
        int disposition = defaults.disposition() != null ? defaults.disposition()
                : types.contains("benign") ? Vocabulary.CLEAN
                : types.contains("anomalous-activity") ? Vocabulary.SUSPICIOUS : Vocabulary.MALICIOUS;
        Set<String> tags = new LinkedHashSet<>(types);
        object.path("labels").forEach(t -> tags.add(t.asText()));
        String tlp = Vocabulary.DEFAULT_TLP;
        for (JsonNode ref : object.path("object_marking_refs")) {
            tlp = tlps.getOrDefault(ref.asText(), tlp);
        }
        String confidence = object.has("confidence") ? Vocabulary.confidenceOfScore(object.path("confidence").asInt())
                : "Medium";
        String description = object.path("description").asText(object.path("name").asText(null));
        List<ExternalReference> references = new ArrayList<>();
        for (JsonNode ref : object.path("external_references")) {
            references.add(new ExternalReference(ref.path("source_name").asText("unknown"), ref.path("url").asText(null),
                    ref.path("description").asText(null), ref.path("external_id").asText(null)));
        }
        for (StixPattern.Term term : terms) {
            Normalized value;
            try {
                value = Normalizer.normalize(term.type(), term.value());
            } catch (IllegalArgumentException e) {
                parsed.rejections().add(Rejection.ofId(id, term.value(), e.getMessage()));
                continue;
            }
            parsed.drafts().add(new IndicatorDraft(value, disposition, confidence, Vocabulary.severityOf(disposition),
                    defaults.source(), List.copyOf(tags), tlp, description, validFrom, validUntil, id, references,
                    sightings.getOrDefault(id, List.of())));
        }
    }

    private static Instant time(JsonNode object, String field, Instant fallback) {
        return object.hasNonNull(field) ? Times.parse(object.path(field).asText()) : fallback;
    }
}
