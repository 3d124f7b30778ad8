package dev.bulwark.relay.threatresponse.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.bulwark.relay.indicator.domain.ExternalReference;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The CTIM entities the relay answers, with the fields CTIM requires and the optional ones it can fill. */
public final class Ctim {

    public static final String SCHEMA_VERSION = "1.0.17";
    /** CTIM's conventional end of an open-ended validity. */
    public static final String END_OF_TIME = "2525-01-01T00:00:00.000Z";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Ctim() {
    }

    /**
     * UTC with milliseconds. Written digit by digit: an answer formats two times per judgement, indicator and
     * sighting, and {@link DateTimeFormatter} was a tenth of building it. Years outside 1–9999 take the formatter
     * (which prints the year of era there).
     */
    public static String time(Instant instant) {
        if (instant == null) {
            return END_OF_TIME;
        }
        long seconds = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        if (date.getYear() < 1 || date.getYear() > 9999) {
            return TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        char[] text = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0', '0', ':', '0', '0', ':', '0', '0',
            '.', '0', '0', '0', 'Z'};
        digits(text, 0, 4, date.getYear());
        digits(text, 5, 2, date.getMonthValue());
        digits(text, 8, 2, date.getDayOfMonth());
        digits(text, 11, 2, secondOfDay / 3600);
        digits(text, 14, 2, secondOfDay / 60 % 60);
        digits(text, 17, 2, secondOfDay % 60);
        digits(text, 20, 3, instant.getNano() / 1_000_000);
        return new String(text);
    }

    private static void digits(char[] text, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * A random (version 4) UUID from the thread's fast generator: transient ids only have to differ within an answer,
     * and {@link UUID#randomUUID()}'s secure generator, shared and synchronised, cost ~280 calls per observe answer.
     */
    public static String transientId(String type) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return "transient:" + type + "-" + new UUID(high, low);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ValidTime(String startTime, String endTime) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verdict(String type, int disposition, String dispositionName, Observable observable,
                          ValidTime validTime, String judgementId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Judgement(String type, String id, String schemaVersion, String source, String sourceUri,
                            String confidence, int disposition, String dispositionName, Observable observable,
                            int priority, String severity, ValidTime validTime, String reason, String tlp,
                            List<String> externalIds, List<ExternalReference> externalReferences) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Indicator(String type, String id, String schemaVersion, String producer, ValidTime validTime,
                            String title, String description, String confidence, String severity,
                            List<String> tags, String tlp, List<String> externalIds,
                            List<ExternalReference> externalReferences) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sighting(String type, String id, String schemaVersion, String confidence, int count,
                           ValidTime observedTime, List<Observable> observables, String title, String description,
                           String source, boolean internal, String tlp) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Relationship(String type, String id, String schemaVersion, String relationshipType,
                               String sourceRef, String targetRef) {
    }

    /** A list of entities as CTIM bundles them in relay answers. */
    public record Docs<T>(int count, List<T> docs) {

        public static <T> Docs<T> of(List<T> docs) {
            return new Docs<>(docs.size(), List.copyOf(docs));
        }
    }
}
