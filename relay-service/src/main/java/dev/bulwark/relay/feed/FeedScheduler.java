package dev.bulwark.relay.feed;

import dev.bulwark.relay.domain.IndicatorStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Pulls due feeds and expires indicators past their validity, each on its configured period. */
@ApplicationScoped
class FeedScheduler {

    private final FeedService feeds;
    private final IndicatorStore store;

    FeedScheduler(FeedService feeds, IndicatorStore store) {
        this.feeds = feeds;
        this.store = store;
    }

    @Scheduled(every = "${bulwark.relay.feeds.check-every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pullDueFeeds() {
        feeds.pullDue();
    }

    @Scheduled(every = "${bulwark.relay.feeds.expire-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireIndicators() {
        store.expire();
    }
}
