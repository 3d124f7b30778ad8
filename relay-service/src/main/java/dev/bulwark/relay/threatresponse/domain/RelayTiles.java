package dev.bulwark.relay.threatresponse.domain;

import dev.bulwark.relay.indicator.domain.Indicators;
import dev.bulwark.relay.indicator.domain.RecentSighting;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dashboard tiles: a {@code metric_group} tile with the current indicators by disposition, and a {@code markdown}
 * tile with the most recent sightings of the chosen period.
 */
@ApplicationScoped
public class RelayTiles {

    public static final String BY_DISPOSITION = "bulwark-indicators-by-disposition";
    public static final String RECENT_SIGHTINGS = "bulwark-recent-sightings";

    private static final Map<String, Duration> PERIODS = Map.of("last_24_hours", Duration.ofHours(24),
            "last_7_days", Duration.ofDays(7), "last_30_days", Duration.ofDays(30));
    private static final int SIGHTING_ROWS = 20;

    private final Indicators indicators;

    RelayTiles(Indicators indicators) {
        this.indicators = indicators;
    }

    public List<Map<String, Object>> tiles() {
        return List.of(descriptor(BY_DISPOSITION), descriptor(RECENT_SIGHTINGS));
    }

    public Map<String, Object> tile(String id) {
        return descriptor(id);
    }

    /** The tile's data over the organisation's indicators and sightings. */
    public Map<String, Object> data(String id, String period, String org) {
        descriptor(id);
        Duration length = PERIODS.get(period);
        if (length == null) {
            throw new RelayException(RelayError.invalidArgument("{\"period\": [\"Must be one of: "
                    + String.join(", ", PERIODS.keySet().stream().sorted().toList()) + ".\"]}"));
        }
        Instant end = Instant.now();
        Instant start = end.minus(length);
        Map<String, Object> tile = new LinkedHashMap<>();
        Ctim.ValidTime window = new Ctim.ValidTime(Ctim.time(start), Ctim.time(end));
        tile.put("valid_time", window);
        tile.put("observed_time", window);
        tile.put("cache_scope", "org");
        if (id.equals(BY_DISPOSITION)) {
            List<Map<String, Object>> metrics = new ArrayList<>();
            indicators.countByDisposition(org).forEach((disposition, count) -> {
                Map<String, Object> metric = new LinkedHashMap<>();
                metric.put("icon", disposition == Vocabulary.MALICIOUS ? "warning" : "view");
                metric.put("label", Vocabulary.dispositionName(disposition));
                metric.put("value", count);
                metric.put("value-unit", "integer");
                metrics.add(metric);
            });
            tile.put("data", metrics);
        } else {
            tile.put("hide_legend", true);
            tile.put("data", sightingLines(org, start));
        }
        return tile;
    }

    private List<String> sightingLines(String org, Instant since) {
        List<RecentSighting> sightings = indicators.recentSightings(org, since, SIGHTING_ROWS);
        if (sightings.isEmpty()) {
            return List.of("No sightings in this period.");
        }
        List<String> lines = new ArrayList<>();
        lines.add("| Last seen | Observable | Disposition | Count | Source |");
        lines.add("| --- | --- | --- | --- | --- |");
        for (RecentSighting s : sightings) {
            lines.add("| " + Ctim.time(s.lastSeen()) + " | " + s.type() + " `" + s.value().replace("`", "'") + "` | "
                    + Vocabulary.dispositionName(s.disposition()) + " | " + s.count() + " | "
                    + s.source().replace("|", "/") + " |");
        }
        return lines;
    }

    private Map<String, Object> descriptor(String id) {
        Map<String, Object> tile = new LinkedHashMap<>();
        tile.put("id", id);
        if (id.equals(BY_DISPOSITION)) {
            tile.put("type", "metric_group");
            tile.put("title", "Indicators by disposition");
            tile.put("description", "Current indicators in the Bulwark relay's store, counted by disposition");
            tile.put("short_description", "Indicators by disposition");
            tile.put("periods", List.of("last_24_hours"));
            tile.put("default_period", "last_24_hours");
        } else if (id.equals(RECENT_SIGHTINGS)) {
            tile.put("type", "markdown");
            tile.put("title", "Recent sightings");
            tile.put("description", "The most recent sightings reported by imported feeds, newest first");
            tile.put("short_description", "Recent sightings");
            tile.put("periods", List.of("last_24_hours", "last_7_days", "last_30_days"));
            tile.put("default_period", "last_7_days");
        } else {
            throw new RelayException(RelayError.fatal(RelayError.NOT_FOUND, "Tile '" + id + "' does not exist"));
        }
        tile.put("tags", List.of("bulwark", "threat-intelligence"));
        return tile;
    }
}
