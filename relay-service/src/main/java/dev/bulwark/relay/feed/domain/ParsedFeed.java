package dev.bulwark.relay.feed.domain;

import dev.bulwark.relay.indicator.domain.ImportReport;
import dev.bulwark.relay.indicator.domain.IndicatorDraft;
import java.util.ArrayList;
import java.util.List;

/** What a parser made of a feed: the drafts to store and the entries it rejected. */
record ParsedFeed(List<IndicatorDraft> drafts, List<ImportReport.Rejection> rejections) {

    ParsedFeed() {
        this(new ArrayList<>(), new ArrayList<>());
    }
}
