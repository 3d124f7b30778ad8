package dev.bulwark.relay.feed.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Timestamps as feeds write them: ISO-8601 instants or offsets, plain dates, or epoch seconds. */
final class Times {

    private Times() {
    }

    static Instant parse(String text) {
        String value = text.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochSecond(Long.parseLong(value));
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                throw new IllegalArgumentException("'" + value + "' is not a timestamp (ISO-8601 or epoch seconds)");
            }
        }
    }
}
