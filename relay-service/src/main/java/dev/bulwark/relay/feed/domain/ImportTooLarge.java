package dev.bulwark.relay.feed.domain;

import dev.bulwark.common.error.ProblemException;
import java.util.List;

/** An import body over {@code bulwark.relay.feeds.max-bytes}: 413, nothing imported. */
public class ImportTooLarge extends ProblemException {

    public ImportTooLarge(long maxBytes) {
        super(413, "payload-too-large", "Request body too large", "The feed is larger than " + maxBytes
                + " bytes (bulwark.relay.feeds.max-bytes); split it or import it as a scheduled file: feed",
                List.of(), null);
    }
}
