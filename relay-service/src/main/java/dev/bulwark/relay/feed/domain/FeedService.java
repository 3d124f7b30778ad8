package dev.bulwark.relay.feed.domain;

import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.common.error.ProblemException;
import dev.bulwark.relay.feed.messaging.FeedDownloader;
import dev.bulwark.relay.indicator.domain.ImportReport;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Scheduled feeds of each organisation: their registrations and their pulls. A feed is visible only to its own
 * organisation (another organisation's feed id is not found), and its pulls write that organisation's indicators.
 */
@ApplicationScoped
public class FeedService {

    private static final int DEFAULT_INTERVAL_SECONDS = 3600;

    private final FeedDownloader downloader;
    private final FeedImporter importer;

    FeedService(FeedDownloader downloader, FeedImporter importer) {
        this.downloader = downloader;
        this.importer = importer;
    }

    @Transactional
    public FeedView create(String org, FeedRequest request) {
        FeedFormat format = FeedFormat.of(request.format()).orElseThrow();
        downloader.check(org, request.url());
        if (format == FeedFormat.CSV && request.disposition() == null) {
            throw new Invalid("a CSV feed needs a declared default disposition (1-5)");
        }
        if (Feed.count("orgId = ?1 and name = ?2", org, request.name().strip()) > 0) {
            throw new Conflict("A feed named '" + request.name().strip() + "' already exists");
        }
        Feed feed = new Feed();
        feed.id = UUID.randomUUID();
        feed.orgId = org;
        feed.name = request.name().strip();
        feed.url = request.url().strip();
        feed.format = format.id();
        feed.disposition = request.disposition() == null ? null : request.disposition().shortValue();
        feed.intervalSeconds = request.intervalSeconds() == null ? DEFAULT_INTERVAL_SECONDS : request.intervalSeconds();
        feed.createdAt = Instant.now();
        feed.persist();
        return FeedView.of(feed);
    }

    @Transactional
    public List<FeedView> list(String org) {
        return Feed.<Feed>list("orgId = ?1 order by name", org).stream().map(FeedView::of).toList();
    }

    @Transactional
    public FeedView get(String org, UUID id) {
        return FeedView.of(find(org, id));
    }

    @Transactional
    public void delete(String org, UUID id) {
        find(org, id).delete();
    }

    /** Downloads the organisation's feed (conditionally) and imports it; the outcome is kept on the feed. */
    public PullResult pull(String org, UUID id) {
        Feed feed = QuarkusTransaction.requiringNew().call(() -> find(org, id));
        PullResult result;
        FeedDownloader.Download download = null;
        try {
            download = downloader.download(feed.orgId, feed.url, feed.etag, feed.lastModified);
            if (download.body() == null) {
                result = PullResult.notModified();
            } else {
                ImportReport report = importer.importFeed(feed.orgId, FeedFormat.of(feed.format).orElseThrow(),
                        download.body(), feed.name, feed.disposition == null ? null : feed.disposition.intValue());
                result = PullResult.imported(report);
            }
        } catch (ProblemException e) {
            String reason = FeedUrls.maskIn(e.getMessage(), feed.url);
            Log.warnf("Pull of feed '%s' of organisation %s failed: %s", feed.name, feed.orgId, reason);
            recordOutcome(feed, null, "failed: " + reason);
            throw e;
        }
        recordOutcome(feed, download, result.report() == null ? result.status() : result.status() + ": "
                + result.report().added() + " added, " + result.report().updated() + " updated, "
                + result.report().unchanged() + " unchanged, " + result.report().rejected().size() + " rejected");
        return result;
    }

    /**
     * Pulls every organisation's feeds whose interval has passed since their last pull, each into its own
     * organisation; a failing feed is recorded on it and does not stop the others.
     */
    public void pullDue() {
        Instant now = Instant.now();
        for (Feed feed : QuarkusTransaction.requiringNew().call(() -> Feed.<Feed>listAll())) {
            if (feed.lastPulledAt == null || !feed.lastPulledAt.plusSeconds(feed.intervalSeconds).isAfter(now)) {
                try {
                    pull(feed.orgId, feed.id);
                } catch (ProblemException e) {
                    Log.debugf("Feed '%s' will be retried at its next interval", feed.name);
                }
            }
        }
    }

    private static void recordOutcome(Feed pulled, FeedDownloader.Download download, String outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            Feed feed = Feed.find("orgId = ?1 and id = ?2", pulled.orgId, pulled.id).firstResult();
            if (feed == null) {
                return;
            }
            feed.lastPulledAt = Instant.now();
            feed.lastOutcome = outcome.length() > 1000 ? outcome.substring(0, 1000) : outcome;
            if (download != null) {
                feed.etag = download.etag();
                feed.lastModified = download.lastModified();
            }
        });
    }

    private static Feed find(String org, UUID id) {
        Feed feed = Feed.find("orgId = ?1 and id = ?2", org, id).firstResult();
        if (feed == null) {
            throw new NotFound("Feed", id);
        }
        return feed;
    }
}
