package dev.bulwark.relay.threatresponse.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CtimTest {

    private static final DateTimeFormatter CTIM = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Test
    void timesAreUtcWithMillisecondsLikeTheFormatter() {
        Random random = new Random(14);
        Instant from = Instant.parse("0000-01-01T00:00:00Z");
        Instant to = Instant.parse("9999-12-31T23:59:59.999999999Z");
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(
                    random.nextLong(from.getEpochSecond(), to.getEpochSecond() + 1), random.nextInt(1_000_000_000));
            assertEquals(CTIM.format(instant.truncatedTo(ChronoUnit.MILLIS)), Ctim.time(instant), instant.toString());
        }
        assertEquals("1970-01-01T00:00:00.000Z", Ctim.time(Instant.EPOCH));
        assertEquals("1969-12-31T23:59:59.999Z", Ctim.time(Instant.EPOCH.minusNanos(1)));
        assertEquals("2024-02-29T07:08:09.010Z", Ctim.time(Instant.parse("2024-02-29T07:08:09.010999Z")));
        assertEquals("9999-12-31T23:59:59.999Z", Ctim.time(to));
        for (String outside : new String[] {"0000-01-01T00:00:00Z", "-0001-06-01T00:00:00Z", "+10000-01-01T00:00:00Z"}) {
            assertEquals(CTIM.format(Instant.parse(outside)), Ctim.time(Instant.parse(outside)), outside);
        }
        assertEquals(Ctim.END_OF_TIME, Ctim.time(null));
    }

    @Test
    void transientIdsAreRandomVersionFourUuids() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = Ctim.transientId("judgement");
            assertTrue(id.startsWith("transient:judgement-"), id);
            UUID uuid = UUID.fromString(id.substring("transient:judgement-".length()));
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            assertTrue(ids.add(id), "repeated " + id);
        }
        assertNotEquals(Ctim.transientId("sighting"), Ctim.transientId("sighting"));
    }
}
