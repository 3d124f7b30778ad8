package dev.bulwark.relay.indicator.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What an import did: indicators added, updated (changed by this import), unchanged (already stored as stated) and
 * rejected with the line or feed id that held them and why.
 */
public record ImportReport(int added, int updated, int unchanged, List<Rejection> rejected) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rejection(Integer line, String id, String value, String reason) {

        public static Rejection atLine(int line, String value, String reason) {
            return new Rejection(line, null, value, reason);
        }

        public static Rejection ofId(String id, String value, String reason) {
            return new Rejection(null, id, value, reason);
        }
    }
}
