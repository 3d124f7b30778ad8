package dev.bulwark.relay.feed;

import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.common.error.ProblemException;
import dev.bulwark.relay.domain.ImportReport;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Scheduled feeds: their registrations and their pulls. */
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
    public FeedView create(FeedRequest request) {
        FeedFormat format = FeedFormat.of(request.format()).orElseThrow();
        downloader.check(request.url());
        if (format == FeedFormat.CSV && request.disposition() == null) {
            throw new Invalid("a CSV feed needs a declared default disposition (1-5)");
        }
        if (Feed.count("name", request.name().strip()) > 0) {
            throw new Conflict("A feed named '" + request.name().strip() + "' already exists");
        }
        Feed feed = new Feed();
        feed.id = UUID.randomUUID();
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
    public List<FeedView> list() {
        return Feed.<Feed>list("order by name").stream().map(FeedView::of).toList();
    }

    @Transactional
    public FeedView get(UUID id) {
        return FeedView.of(find(id));
    }

    @Transactional
    public void delete(UUID id) {
        find(id).delete();
    }

    /** Downloads the feed (conditionally) and imports it; the outcome is kept on the feed. */
    public PullResult pull(UUID id) {
        Feed feed = QuarkusTransaction.requiringNew().call(() -> find(id));
        PullResult result;
        FeedDownloader.Download download = null;
        try {
            download = downloader.download(feed.url, feed.etag, feed.lastModified);
            if (download.body() == null) {
                result = PullResult.notModified();
            } else {
                ImportReport report = importer.importFeed(FeedFormat.of(feed.format).orElseThrow(), download.body(),
                        feed.name, feed.disposition == null ? null : feed.disposition.intValue());
                result = PullResult.imported(report);
            }
        } catch (ProblemException e) {
            Log.warnf("Pull of feed '%s' failed: %s", feed.name, e.getMessage());
            recordOutcome(id, null, "failed: " + e.getMessage());
            throw e;
        }
        recordOutcome(id, download, result.report() == null ? result.status() : result.status() + ": "
                + result.report().added() + " added, " + result.report().updated() + " updated, "
                + result.report().unchanged() + " unchanged, " + result.report().rejected().size() + " rejected");
        return result;
    }

    /** Pulls every feed whose interval has passed since its last pull; a failing feed does not stop the others. */
    public void pullDue() {
        Instant now = Instant.now();
        for (Feed feed : QuarkusTransaction.requiringNew().call(() -> Feed.<Feed>listAll())) {
            if (feed.lastPulledAt == null || !feed.lastPulledAt.plusSeconds(feed.intervalSeconds).isAfter(now)) {
                try {
                    pull(feed.id);
                } catch (ProblemException e) {
                    Log.debugf("Feed '%s' will be retried at its next interval", feed.name);
                }
            }
        }
    }

    private static void recordOutcome(UUID id, FeedDownloader.Download download, String outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            Feed feed = Feed.findById(id);
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

    private static Feed find(UUID id) {
        Feed feed = Feed.findById(id);
        if (feed == null) {
            throw new NotFound("Feed", id);
        }
        return feed;
    }
}
