package dev.bulwark.relay.feed.domain;

import dev.bulwark.relay.indicator.domain.ImportReport.Rejection;
import dev.bulwark.relay.indicator.domain.IndicatorDraft;
import dev.bulwark.relay.indicator.domain.IndicatorType;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.Normalizer;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * An IOC list: one value per line (type inferred), or CSV whose header names a {@code value} column and optionally
 * {@code type}, {@code disposition} (1–5 or a name), {@code confidence}, {@code severity}, {@code tlp}, {@code tags}
 * (separated by {@code ;}), {@code description}, {@code valid_from} and {@code valid_until}. Lines starting with
 * {@code #} are comments. Every indicator takes the declared default disposition unless its line states one.
 */
final class CsvFeedParser {

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setCommentMarker('#')
            .setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).get();

    private CsvFeedParser() {
    }

    static ParsedFeed parse(String body, FeedDefaults defaults) {
        ParsedFeed parsed = new ParsedFeed();
        try (CSVParser parser = CSVParser.parse(new StringReader(body), FORMAT)) {
            Map<String, Integer> header = null;
            boolean first = true;
            for (CSVRecord record : parser) {
                int line = (int) parser.getCurrentLineNumber();
                if (first) {
                    first = false;
                    header = headerOf(record);
                    if (header != null) {
                        continue;
                    }
                }
                String value = header == null ? record.get(0) : column(record, header, "value");
                try {
                    parsed.drafts().add(draft(record, header, value, defaults));
                } catch (IllegalArgumentException e) {
                    parsed.rejections().add(Rejection.atLine(line, value, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new FeedSyntaxException("The body is not a readable CSV list: " + e.getMessage());
        }
        return parsed;
    }

    private static Map<String, Integer> headerOf(CSVRecord record) {
        List<String> names = record.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
        if (!names.contains("value")) {
            return null;
        }
        Map<String, Integer> header = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            header.put(names.get(i), i);
        }
        return header;
    }

    private static String column(CSVRecord record, Map<String, Integer> header, String name) {
        Integer index = header == null ? null : header.get(name);
        if (index == null || index >= record.size() || record.get(index).isBlank()) {
            return null;
        }
        return record.get(index).strip();
    }

    private static IndicatorDraft draft(CSVRecord record, Map<String, Integer> header, String value,
                                        FeedDefaults defaults) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no value");
        }
        String typeName = column(record, header, "type");
        IndicatorType type = typeName == null ? Normalizer.infer(value) : IndicatorType.ofObservable(typeName)
                .orElseThrow(() -> new IllegalArgumentException("unsupported type '" + typeName + "'"));
        Normalized normalized = Normalizer.normalize(type, value);
        int disposition = disposition(column(record, header, "disposition"), defaults.disposition());
        String tags = column(record, header, "tags");
        String validFrom = column(record, header, "valid_from");
        String validUntil = column(record, header, "valid_until");
        return new IndicatorDraft(normalized, disposition,
                Vocabulary.pick(Vocabulary.CONFIDENCES, column(record, header, "confidence"), "Medium"),
                Vocabulary.pick(Vocabulary.SEVERITIES, column(record, header, "severity"),
                        Vocabulary.severityOf(disposition)),
                defaults.source(),
                tags == null ? List.of() : Arrays.stream(tags.split(";")).map(String::strip)
                        .filter(t -> !t.isEmpty()).toList(),
                Vocabulary.tlp(column(record, header, "tlp")), column(record, header, "description"),
                validFrom == null ? null : Times.parse(validFrom), validUntil == null ? null : Times.parse(validUntil),
                null, List.of(), List.of());
    }

    private static int disposition(String text, Integer fallback) {
        if (text == null) {
            return fallback;
        }
        for (int d = Vocabulary.CLEAN; d <= Vocabulary.UNKNOWN; d++) {
            if (text.equals(String.valueOf(d)) || text.equalsIgnoreCase(Vocabulary.dispositionName(d))) {
                return d;
            }
        }
        throw new IllegalArgumentException("disposition '" + text + "' is neither 1-5 nor a disposition name");
    }
}
