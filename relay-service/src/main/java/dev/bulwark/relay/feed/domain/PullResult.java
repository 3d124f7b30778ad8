package dev.bulwark.relay.feed.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.relay.indicator.domain.ImportReport;

/** The outcome of one pull: {@code imported} with its report, or {@code not-modified} since the last pull. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PullResult(String status, ImportReport report) {

    static PullResult notModified() {
        return new PullResult("not-modified", null);
    }

    static PullResult imported(ImportReport report) {
        return new PullResult("imported", report);
    }
}
