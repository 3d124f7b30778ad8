package dev.bulwark.relay.feed;

import dev.bulwark.relay.domain.ImportReport;
import dev.bulwark.relay.domain.IndicatorDraft;
import java.util.ArrayList;
import java.util.List;

/** What a parser made of a feed: the drafts to store and the entries it rejected. */
record ParsedFeed(List<IndicatorDraft> drafts, List<ImportReport.Rejection> rejections) {

    ParsedFeed() {
        this(new ArrayList<>(), new ArrayList<>());
    }
}
