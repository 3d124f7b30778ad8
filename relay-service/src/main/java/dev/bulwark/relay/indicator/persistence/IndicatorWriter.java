package dev.bulwark.relay.indicator.persistence;

import dev.bulwark.relay.indicator.domain.ImportReport;
import dev.bulwark.relay.indicator.domain.Indicator;
import dev.bulwark.relay.indicator.domain.IndicatorDraft;
import dev.bulwark.relay.indicator.domain.Sighting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Idempotent writes of imported indicators and their sightings, keyed by (organisation, source, type, normalised
 * value); every read and write is confined to one organisation.
 */
@ApplicationScoped
public class IndicatorWriter {

    /** Drafts written per query for what is already stored and per flush. */
    private static final int CHUNK = 1000;

    private final EntityManager em;

    IndicatorWriter(EntityManager em) {
        this.em = em;
    }

    /**
     * Writes the drafts of one import into the organisation's indicators; the rejections found while parsing are
     * carried into the report. Imports of one source of one organisation are serialised (a transaction-scoped
     * advisory lock), so a scheduled pull and a manual import of the same feed cannot both insert the same
     * indicator. Drafts are written in chunks: one query finds what a chunk already has stored, and the persistence
     * context is flushed and cleared after each chunk.
     */
    @Transactional
    public ImportReport write(String org, List<IndicatorDraft> drafts, List<ImportReport.Rejection> rejections) {
        drafts.stream().map(IndicatorDraft::source).distinct().sorted().forEach(source ->
                em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))").setParameter(1, org + '\n' + source)
                        .getSingleResult());
        int[] outcomes = new int[Outcome.values().length];
        for (int from = 0; from < drafts.size(); from += CHUNK) {
            List<IndicatorDraft> chunk = drafts.subList(from, Math.min(drafts.size(), from + CHUNK));
            Map<String, Indicator> stored = stored(org, chunk);
            Map<String, Sighting> sightings = sightings(org, stored.values());
            for (IndicatorDraft draft : chunk) {
                outcomes[upsert(org, draft, stored, sightings).ordinal()]++;
            }
            em.flush();
            em.clear();
        }
        return new ImportReport(outcomes[Outcome.ADDED.ordinal()], outcomes[Outcome.UPDATED.ordinal()],
                outcomes[Outcome.UNCHANGED.ordinal()], List.copyOf(rejections));
    }

    private enum Outcome { ADDED, UPDATED, UNCHANGED }

    private static String key(String source, String type, String value) {
        return source + '\n' + type + '\n' + value;
    }

    /** The organisation's stored indicators of a chunk's drafts, by (source, type, value). */
    private static Map<String, Indicator> stored(String org, List<IndicatorDraft> chunk) {
        Map<String, Map<String, List<String>>> wanted = new HashMap<>();
        for (IndicatorDraft draft : chunk) {
            wanted.computeIfAbsent(draft.source(), s -> new HashMap<>())
                    .computeIfAbsent(draft.value().type().ctim(), t -> new ArrayList<>()).add(draft.value().value());
        }
        Map<String, Indicator> stored = new HashMap<>();
        wanted.forEach((source, byType) -> byType.forEach((type, values) ->
                Indicator.<Indicator>list("orgId = ?1 and source = ?2 and type = ?3 and value in ?4", org, source,
                                type, values)
                        .forEach(i -> stored.put(key(i.source, i.type, i.value), i))));
        return stored;
    }

    /** The stored sightings of the given indicators, by (indicator, external id). */
    private static Map<String, Sighting> sightings(String org, Collection<Indicator> indicators) {
        Map<String, Sighting> sightings = new HashMap<>();
        if (!indicators.isEmpty()) {
            Sighting.<Sighting>list("orgId = ?1 and indicatorId in ?2", org,
                            indicators.stream().map(i -> i.id).toList())
                    .forEach(s -> sightings.put(s.indicatorId + "\n" + s.externalId, s));
        }
        return sightings;
    }

    private Outcome upsert(String org, IndicatorDraft draft, Map<String, Indicator> indicators,
                           Map<String, Sighting> sightings) {
        String key = key(draft.source(), draft.value().type().ctim(), draft.value().value());
        Indicator stored = indicators.get(key);
        Instant now = Instant.now();
        Outcome outcome;
        if (stored == null) {
            stored = new Indicator();
            stored.id = UUID.randomUUID();
            stored.orgId = org;
            stored.type = draft.value().type().ctim();
            stored.value = draft.value().value();
            stored.network = draft.value().network();
            stored.source = draft.source();
            stored.createdAt = now;
            stored.validFrom = now;
            apply(stored, draft);
            stored.updatedAt = now;
            stored.persist();
            indicators.put(key, stored);
            outcome = Outcome.ADDED;
        } else if (differs(stored, draft)) {
            apply(stored, draft);
            stored.updatedAt = now;
            outcome = Outcome.UPDATED;
        } else {
            outcome = Outcome.UNCHANGED;
        }
        boolean sightingsChanged = false;
        for (IndicatorDraft.SightingDraft sighting : draft.sightings()) {
            sightingsChanged |= upsertSighting(stored, sighting, sightings);
        }
        return outcome == Outcome.UNCHANGED && sightingsChanged ? Outcome.UPDATED : outcome;
    }

    private static boolean differs(Indicator stored, IndicatorDraft draft) {
        return stored.disposition != draft.disposition() || !stored.confidence.equals(draft.confidence())
                || !stored.severity.equals(draft.severity()) || !stored.tags.equals(draft.tags())
                || !stored.tlp.equals(draft.tlp()) || !Objects.equals(stored.description, draft.description())
                || (draft.validFrom() != null && !stored.validFrom.equals(draft.validFrom()))
                || !Objects.equals(stored.validUntil, draft.validUntil())
                || !Objects.equals(stored.externalId, draft.externalId())
                || !stored.externalReferences.equals(draft.externalReferences());
    }

    private static void apply(Indicator stored, IndicatorDraft draft) {
        stored.disposition = (short) draft.disposition();
        stored.confidence = draft.confidence();
        stored.severity = draft.severity();
        stored.tags = List.copyOf(draft.tags());
        stored.tlp = draft.tlp();
        stored.description = draft.description();
        if (draft.validFrom() != null) {
            stored.validFrom = draft.validFrom();
        }
        stored.validUntil = draft.validUntil();
        stored.externalId = draft.externalId();
        stored.externalReferences = List.copyOf(draft.externalReferences());
    }

    private static boolean upsertSighting(Indicator indicator, IndicatorDraft.SightingDraft draft,
                                          Map<String, Sighting> sightings) {
        Sighting stored = sightings.get(indicator.id + "\n" + draft.externalId());
        if (stored == null) {
            stored = new Sighting();
            stored.id = UUID.randomUUID();
            stored.orgId = indicator.orgId;
            stored.indicatorId = indicator.id;
            stored.externalId = draft.externalId();
            stored.source = indicator.source;
            sightings.put(indicator.id + "\n" + draft.externalId(), stored);
        } else if (stored.count == draft.count() && stored.firstSeen.equals(draft.firstSeen())
                && stored.lastSeen.equals(draft.lastSeen()) && stored.title.equals(draft.title())
                && Objects.equals(stored.description, draft.description())) {
            return false;
        }
        stored.count = draft.count();
        stored.firstSeen = draft.firstSeen();
        stored.lastSeen = draft.lastSeen();
        stored.title = draft.title();
        stored.description = draft.description();
        stored.persist();
        return true;
    }
}
