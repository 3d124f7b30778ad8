package dev.bulwark.relay.feed.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.relay.indicator.domain.ImportReport;
import dev.bulwark.relay.indicator.domain.Indicators;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/** Parses a feed in its declared format and writes what it holds to the store. */
@ApplicationScoped
public class FeedImporter {

    private final ObjectMapper json;
    private final Indicators indicators;

    FeedImporter(ObjectMapper json, Indicators indicators) {
        this.json = json;
        this.indicators = indicators;
    }

    /**
     * @param org the organisation whose indicators the feed writes
     * @param disposition the disposition to give every indicator; required for CSV, where nothing else says it
     */
    public ImportReport importFeed(String org, FeedFormat format, String body, String source, Integer disposition) {
        if (source == null || source.isBlank() || source.length() > 200) {
            throw new Invalid("source must be a name of 1 to 200 characters");
        }
        if (disposition != null && !Vocabulary.isDisposition(disposition)) {
            throw new Invalid("disposition must be 1 (Clean), 2 (Malicious), 3 (Suspicious), 4 (Common) or 5 (Unknown)");
        }
        if (format == FeedFormat.CSV && disposition == null) {
            throw new Invalid("a CSV list needs a declared default disposition (1-5)");
        }
        FeedDefaults defaults = new FeedDefaults(source.strip(), disposition);
        ParsedFeed parsed;
        try {
            parsed = switch (format) {
                case STIX -> StixFeedParser.parse(tree(body, "STIX 2.1 bundle"), defaults);
                case MISP -> MispFeedParser.parse(tree(body, "MISP feed event"), defaults);
                case CSV -> CsvFeedParser.parse(body == null ? "" : body, defaults);
            };
        } catch (FeedSyntaxException e) {
            throw new Invalid(e.getMessage());
        }
        ImportReport report = indicators.write(org, parsed.drafts(), parsed.rejections());
        Log.infof("Imported %s feed '%s' of organisation %s: %d added, %d updated, %d unchanged, %d rejected",
                format.id(), defaults.source(), org, report.added(), report.updated(), report.unchanged(),
                report.rejected().size());
        return report;
    }

    private JsonNode tree(String body, String what) {
        try {
            JsonNode tree = body == null ? null : json.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new Invalid("The body is empty; a " + what + " was expected");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new Invalid("The body is not JSON (" + what + " expected): " + e.getOriginalMessage());
        }
    }
}
