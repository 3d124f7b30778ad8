package dev.bulwark.relay.feed.domain;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Pulls due feeds on the configured period. */
@ApplicationScoped
class FeedScheduler {

    private final FeedService feeds;

    FeedScheduler(FeedService feeds) {
        this.feeds = feeds;
    }

    @Scheduled(every = "${bulwark.relay.feeds.check-every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pullDueFeeds() {
        feeds.pullDue();
    }
}
