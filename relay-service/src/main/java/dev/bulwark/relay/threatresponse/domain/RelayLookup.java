package dev.bulwark.relay.threatresponse.domain;

import dev.bulwark.relay.auth.domain.RelayIdentity;
import dev.bulwark.relay.config.RelayConfig;
import dev.bulwark.relay.indicator.domain.Found;
import dev.bulwark.relay.indicator.domain.Indicator;
import dev.bulwark.relay.indicator.domain.IndicatorType;
import dev.bulwark.relay.indicator.domain.Indicators;
import dev.bulwark.relay.indicator.domain.Match;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.Normalizer;
import dev.bulwark.relay.indicator.domain.Sighting;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * observe, deliberate and refer over the indicator store. Observables of types the store does not hold, and values
 * that are not valid for their type, are answered as {@code warning} errors beside the data, never dropped.
 */
@ApplicationScoped
public class RelayLookup {

    private static final String SUPPORTED = "ip, ipv6, domain, hostname, url, email, md5, sha1, sha256";

    private final Indicators indicators;
    private final RelayConfig config;
    /** {@code public-url} without trailing slashes, followed by the indicator view's path. */
    private final String viewBase;

    RelayLookup(Indicators indicators, RelayConfig config) {
        this.indicators = indicators;
        this.config = config;
        this.viewBase = config.publicUrl().replaceAll("/+$", "") + "/api/v1/indicators?type=";
    }

    /** Verdicts, judgements, indicators, sightings and relationships; only the non-empty kinds appear. */
    public RelayReply observe(List<Observable> observables, RelayIdentity caller) {
        Answer answer = answer(observables, caller, true);
        Map<String, Object> data = new LinkedHashMap<>();
        put(data, "verdicts", answer.verdicts);
        put(data, "judgements", answer.judgements);
        put(data, "indicators", answer.indicators);
        put(data, "sightings", answer.sightings);
        put(data, "relationships", answer.relationships);
        return RelayReply.of(data, answer.warnings);
    }

    /** Verdicts only. */
    public RelayReply deliberate(List<Observable> observables, RelayIdentity caller) {
        Answer answer = answer(observables, caller, false);
        Map<String, Object> data = new LinkedHashMap<>();
        put(data, "verdicts", answer.verdicts);
        return RelayReply.of(data, answer.warnings);
    }

    /** A link to the relay's own indicator view for every observable it can look up. */
    public RelayReply refer(List<Observable> observables) {
        List<RelayError> warnings = new ArrayList<>();
        List<Map<String, Object>> links = new ArrayList<>();
        for (Observable observable : observables) {
            Normalized value = supported(observable, warnings);
            if (value == null) {
                continue;
            }
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("id", "ref-bulwark-search-" + observable.type() + "-" + encode(observable.value()));
            link.put("title", "Search for this " + observable.type());
            link.put("description", "Look up this " + observable.type() + " in the Bulwark relay's indicator store");
            link.put("url", viewUrl(value));
            link.put("categories", List.of("Bulwark", "Search"));
            links.add(link);
        }
        unsupportedWarnings(observables, warnings);
        return RelayReply.of(links, warnings);
    }

    /** The relay's indicator view of a value, the {@code source_uri} of judgements and the target of refer. */
    private String viewUrl(Normalized value) {
        return viewBase + value.type().ctim() + "&value=" + encode(value.value());
    }

    private static final class Answer {
        final List<Ctim.Verdict> verdicts = new ArrayList<>();
        final List<Ctim.Judgement> judgements = new ArrayList<>();
        final List<Ctim.Indicator> indicators = new ArrayList<>();
        final List<Ctim.Sighting> sightings = new ArrayList<>();
        final List<Ctim.Relationship> relationships = new ArrayList<>();
        final List<RelayError> warnings = new ArrayList<>();
        /** Transient ids of the store indicators already answered, so each appears once per request. */
        final Map<UUID, String> indicatorIds = new HashMap<>();
    }

    private Answer answer(List<Observable> observables, RelayIdentity caller, boolean full) {
        Answer answer = new Answer();
        int limit = caller.entitiesLimit();
        List<Observable> looked = new ArrayList<>();
        List<Normalized> values = new ArrayList<>();
        for (Observable observable : observables) {
            Normalized value = supported(observable, answer.warnings);
            if (value != null) {
                looked.add(observable);
                values.add(value);
            }
        }
        Found found = values.isEmpty() ? Found.NOTHING
                : indicators.lookupAll(caller.org(), values, limit, full);
        for (int n = 0; n < looked.size(); n++) {
            List<Match> matches = found.matches().get(n);
            if (!matches.isEmpty()) {
                answer(looked.get(n), values.get(n), matches, found.sightings(), limit, full, answer);
            }
        }
        unsupportedWarnings(observables, answer.warnings);
        return answer;
    }

    private void answer(Observable observable, Normalized value, List<Match> matches,
                        Map<UUID, List<Sighting>> sightingsById, int limit, boolean full, Answer answer) {
        List<Ctim.Judgement> judgements = new ArrayList<>();
        List<Ctim.Relationship> relationships = new ArrayList<>();
        String sourceUri = viewUrl(value);
        for (Match match : matches) {
            Ctim.Judgement judgement = judgement(observable, sourceUri, match);
            judgements.add(judgement);
            if (full) {
                String indicatorId = answer.indicatorIds.computeIfAbsent(match.indicator().id, id -> {
                    Ctim.Indicator indicator = indicator(match.indicator());
                    answer.indicators.add(indicator);
                    return indicator.id();
                });
                relationships.add(relationship("based-on", judgement.id(), indicatorId));
            }
        }
        Ctim.Judgement decisive = judgements.get(0);
        answer.verdicts.add(new Ctim.Verdict("verdict", decisive.disposition(), decisive.dispositionName(),
                observable, decisive.validTime(), full ? decisive.id() : null));
        if (!full) {
            return;
        }
        answer.judgements.addAll(judgements);
        List<Sighting> sightings = matches.stream()
                .flatMap(m -> sightingsById.getOrDefault(m.indicator().id, List.of()).stream())
                .sorted(Comparator.comparing((Sighting s) -> s.lastSeen).reversed().thenComparing(s -> s.id))
                .limit(limit).toList();
        Map<UUID, Indicator> byId = new HashMap<>();
        matches.forEach(m -> byId.put(m.indicator().id, m.indicator()));
        for (Sighting sighting : sightings) {
            Indicator indicator = byId.get(sighting.indicatorId);
            Ctim.Sighting ctim = new Ctim.Sighting("sighting", Ctim.transientId("sighting"), Ctim.SCHEMA_VERSION,
                    indicator.confidence, sighting.count,
                    new Ctim.ValidTime(Ctim.time(sighting.firstSeen), Ctim.time(sighting.lastSeen)),
                    List.of(observable), sighting.title, sighting.description, sighting.source, false,
                    indicator.tlp);
            answer.sightings.add(ctim);
            relationships.add(relationship("sighting-of", ctim.id(), answer.indicatorIds.get(indicator.id)));
        }
        answer.relationships.addAll(relationships.subList(0, Math.min(limit, relationships.size())));
    }

    private Ctim.Judgement judgement(Observable observable, String sourceUri, Match match) {
        Indicator i = match.indicator();
        return new Ctim.Judgement("judgement", Ctim.transientId("judgement"), Ctim.SCHEMA_VERSION, i.source,
                sourceUri, i.confidence, i.disposition, Vocabulary.dispositionName(i.disposition), observable,
                config.judgementPriority(), i.severity,
                new Ctim.ValidTime(Ctim.time(i.validFrom), Ctim.time(i.validUntil)), match.reason(), i.tlp,
                externalIds(i), i.externalReferences.isEmpty() ? null : i.externalReferences);
    }

    private static Ctim.Indicator indicator(Indicator i) {
        return new Ctim.Indicator("indicator", Ctim.transientId("indicator"), Ctim.SCHEMA_VERSION, i.source,
                new Ctim.ValidTime(Ctim.time(i.validFrom), Ctim.time(i.validUntil)),
                i.source + ": " + i.type + " " + i.value, i.description, i.confidence, i.severity,
                i.tags.isEmpty() ? null : i.tags, i.tlp, externalIds(i),
                i.externalReferences.isEmpty() ? null : i.externalReferences);
    }

    private static List<String> externalIds(Indicator i) {
        return i.externalId == null ? List.of("bulwark-indicator:" + i.id)
                : List.of("bulwark-indicator:" + i.id, i.externalId);
    }

    private static Ctim.Relationship relationship(String type, String source, String target) {
        return new Ctim.Relationship("relationship", Ctim.transientId("relationship"), Ctim.SCHEMA_VERSION, type,
                source, target);
    }

    /** The normalised value of a supported, valid observable; otherwise null, with a warning for invalid values. */
    static Normalized supported(Observable observable, List<RelayError> warnings) {
        var type = IndicatorType.ofObservable(observable.type());
        if (type.isEmpty()) {
            return null;
        }
        try {
            return Normalizer.normalize(type.get(), observable.value());
        } catch (IllegalArgumentException e) {
            warnings.add(RelayError.warning(RelayError.INVALID_ARGUMENT, "Observable " + observable.type() + " '"
                    + observable.value() + "' was not looked up: " + e.getMessage()));
            return null;
        }
    }

    static void unsupportedWarnings(List<Observable> observables, List<RelayError> warnings) {
        Set<String> unsupported = new LinkedHashSet<>();
        observables.stream().map(Observable::type).filter(t -> IndicatorType.ofObservable(t).isEmpty())
                .forEach(unsupported::add);
        for (String type : unsupported) {
            warnings.add(RelayError.warning(RelayError.INVALID_ARGUMENT, "Observable type '" + type
                    + "' is not supported and was not looked up; supported types: " + SUPPORTED));
        }
    }

    private static void put(Map<String, Object> data, String key, List<?> docs) {
        if (!docs.isEmpty()) {
            data.put(key, Ctim.Docs.of(docs));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
