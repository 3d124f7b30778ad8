package dev.bulwark.relay.indicator.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a lookup found: the matches aligned with the values asked for, and the matched indicators' sightings. */
public record Found(List<List<Match>> matches, Map<UUID, List<Sighting>> sightings) {

    public static final Found NOTHING = new Found(List.of(), Map.of());
}
