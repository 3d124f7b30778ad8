package dev.bulwark.relay.feed.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.relay.indicator.domain.ExternalReference;
import dev.bulwark.relay.indicator.domain.ImportReport.Rejection;
import dev.bulwark.relay.indicator.domain.IndicatorDraft;
import dev.bulwark.relay.indicator.domain.IndicatorDraft.SightingDraft;
import dev.bulwark.relay.indicator.domain.IndicatorType;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.Normalizer;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A MISP feed event ({@code {"Event":{…}}}, or an array of them): its attributes, including those inside objects.
 * Address, domain/hostname, URL, hash and e-mail attribute types are stored, composite ones ({@code ip-dst|port},
 * {@code filename|sha256}, {@code domain|ip}) by their indicator parts; other types are rejected. The disposition is
 * the declared one, else Malicious for {@code to_ids} attributes and Suspicious for the rest; severity follows the
 * event's threat level; {@code tlp:*} tags set TLP, other tags are kept.
 */
final class MispFeedParser {

    private MispFeedParser() {
    }

    static ParsedFeed parse(JsonNode body, FeedDefaults defaults) {
        ParsedFeed parsed = new ParsedFeed();
        List<JsonNode> events = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(e -> events.add(e.path("Event")));
        } else {
            events.add(body.path("Event"));
        }
        if (events.isEmpty() || events.stream().anyMatch(e -> !e.isObject())) {
            throw new FeedSyntaxException("The body is not a MISP feed event (an object with an 'Event' object)");
        }
        for (JsonNode event : events) {
            event(event, defaults, parsed);
        }
        return parsed;
    }

    private static void event(JsonNode event, FeedDefaults defaults, ParsedFeed parsed) {
        List<JsonNode> attributes = new ArrayList<>();
        event.path("Attribute").forEach(attributes::add);
        event.path("Object").forEach(o -> o.path("Attribute").forEach(attributes::add));
        String severity = switch (event.path("threat_level_id").asText("4")) {
            case "1" -> "High";
            case "2" -> "Medium";
            case "3" -> "Low";
            default -> "Unknown";
        };
        ExternalReference reference = new ExternalReference("MISP", null, event.path("info").asText(null),
                event.path("uuid").asText(null));
        for (JsonNode attribute : attributes) {
            String id = attribute.path("uuid").asText(null);
            String type = attribute.path("type").asText("");
            String value = attribute.path("value").asText("");
            try {
                List<Normalized> values = values(type, value);
                Set<String> tags = new LinkedHashSet<>();
                String tlp = tags(event, tags, Vocabulary.DEFAULT_TLP);
                tlp = tags(attribute, tags, tlp);
                int disposition = defaults.disposition() != null ? defaults.disposition()
                        : attribute.path("to_ids").asBoolean(false) ? Vocabulary.MALICIOUS : Vocabulary.SUSPICIOUS;
                String comment = attribute.path("comment").asText("");
                Instant validFrom = attribute.hasNonNull("timestamp") ? Times.parse(attribute.path("timestamp").asText())
                        : event.hasNonNull("date") ? Times.parse(event.path("date").asText()) : null;
                List<SightingDraft> sightings = sightings(attribute, id, defaults.source());
                for (Normalized normalized : values) {
                    parsed.drafts().add(new IndicatorDraft(normalized, disposition, "Medium", severity,
                            defaults.source(), List.copyOf(tags), tlp,
                            comment.isBlank() ? event.path("info").asText(null) : comment, validFrom, null, id,
                            List.of(reference), sightings));
                }
            } catch (IllegalArgumentException e) {
                parsed.rejections().add(Rejection.ofId(id, value, e.getMessage()));
            }
        }
    }

    private static List<Normalized> values(String type, String value) {
        String[] parts = value.split("\\|", -1);
        return switch (type) {
            case "ip-src", "ip-dst" -> List.of(Normalizer.normalize(IndicatorType.IP, value));
            case "ip-src|port", "ip-dst|port" -> List.of(Normalizer.normalize(IndicatorType.IP, part(parts, 0, type)));
            case "domain", "hostname" -> List.of(Normalizer.normalize(IndicatorType.DOMAIN, value));
            case "hostname|port" -> List.of(Normalizer.normalize(IndicatorType.DOMAIN, part(parts, 0, type)));
            case "domain|ip" -> List.of(Normalizer.normalize(IndicatorType.DOMAIN, part(parts, 0, type)),
                    Normalizer.normalize(IndicatorType.IP, part(parts, 1, type)));
            case "url" -> List.of(Normalizer.normalize(IndicatorType.URL, value));
            case "md5", "sha1", "sha256" -> List.of(Normalizer.normalize(hash(type), value));
            case "filename|md5", "filename|sha1", "filename|sha256" ->
                    List.of(Normalizer.normalize(hash(type.substring(9)), part(parts, 1, type)));
            case "email", "email-src", "email-dst" -> List.of(Normalizer.normalize(IndicatorType.EMAIL, value));
            default -> throw new IllegalArgumentException("unsupported MISP attribute type '" + type + "'");
        };
    }

    private static IndicatorType hash(String type) {
        return IndicatorType.valueOf(type.toUpperCase(Locale.ROOT));
    }

    private static String part(String[] parts, int index, String type) {
        if (parts.length != 2) {
            throw new IllegalArgumentException("a '" + type + "' value has two parts separated by '|'");
        }
        return parts[index];
    }

    /** Adds the node's tag names to {@code tags} and answers the TLP they state, else {@code tlp}. */
    private static String tags(JsonNode node, Set<String> tags, String tlp) {
        String result = tlp;
        for (JsonNode tag : node.path("Tag")) {
            String name = tag.path("name").asText("");
            if (name.toLowerCase(Locale.ROOT).startsWith("tlp:")) {
                result = Vocabulary.tlp(name);
            } else if (!name.isBlank()) {
                tags.add(name);
            }
        }
        return result;
    }

    private static List<SightingDraft> sightings(JsonNode attribute, String id, String source) {
        Instant first = null;
        Instant last = null;
        int count = 0;
        for (JsonNode sighting : attribute.path("Sighting")) {
            if (!sighting.hasNonNull("date_sighting")) {
                continue;
            }
            Instant at = Times.parse(sighting.path("date_sighting").asText());
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
            count++;
        }
        if (count == 0) {
            return List.of();
        }
        return List.of(new SightingDraft("misp-sightings:" + id, count, first, last, "Sighted in MISP", null));
    }
}
