package dev.bulwark.relay.threatresponse.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.bulwark.relay.indicator.domain.ExternalReference;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** The CTIM entities the relay answers, with the fields CTIM requires and the optional ones it can fill. */
public final class Ctim {

    public static final String SCHEMA_VERSION = "1.0.17";
    /** CTIM's conventional end of an open-ended validity. */
    public static final String END_OF_TIME = "2525-01-01T00:00:00.000Z";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Ctim() {
    }

    public static String time(Instant instant) {
        return instant == null ? END_OF_TIME : TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    public static String transientId(String type) {
        return "transient:" + type + "-" + UUID.randomUUID();
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
