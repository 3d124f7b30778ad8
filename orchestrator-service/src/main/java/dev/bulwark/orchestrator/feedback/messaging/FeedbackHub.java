package dev.bulwark.orchestrator.feedback.messaging;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pattern subscription per service instance for the live events of every run, fanned out in memory to the
 * clients following a stream. Each live event therefore costs one Redis message, whatever the number of clients.
 *
 * <p>When the subscription's connection ends (Redis restarted, the connection was killed) the hub subscribes again,
 * retrying until Redis answers, and then asks every listener to {@link Listener#resync() resync}: events published
 * while it was not subscribed reached nobody live, but they are in the streams.
 */
@ApplicationScoped
public class FeedbackHub {

    static final Duration FIRST_RETRY = Duration.ofMillis(200);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(5);
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);

    /** Receives the live events of one stream. */
    public interface Listener {

        void event(FeedbackEvent event);

        /** Live events may have been missed (the subscription was lost and is back): read the stream again. */
        void resync();

        /** A listener that only needs to know that something may have happened. */
        static Listener wakeUp(Runnable signal) {
            return new Listener() {
                @Override
                public void event(FeedbackEvent event) {
                    signal.run();
                }

                @Override
                public void resync() {
                    signal.run();
                }
            };
        }
    }

    private final ReactiveRedisDataSource redis;
    private final FeedbackStreams streams;
    private final Map<String, Set<Listener>> listeners = new ConcurrentHashMap<>();
    /** Each subscription attempt has a generation; callbacks of an older connection are ignored. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean resubscribing = new AtomicBoolean();
    private volatile ReactiveRedisSubscriber subscriber;
    private volatile boolean stopping;

    FeedbackHub(ReactiveRedisDataSource redis, FeedbackStreams streams) {
        this.redis = redis;
        this.streams = streams;
    }

    void start(@Observes StartupEvent event) {
        subscriber = subscribe(generation.get()).await().atMost(Duration.ofSeconds(30));
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        ReactiveRedisSubscriber current = subscriber;
        if (current != null) {
            current.unsubscribe().await().atMost(Duration.ofSeconds(5));
        }
    }

    /** Calls {@code listener} with every live event of stream {@code key} until the returned handle is run. */
    public Runnable listen(String key, Listener listener) {
        listeners.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(key, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    private Uni<ReactiveRedisSubscriber> subscribe(long attempt) {
        return redis.pubsub(String.class).subscribeToPattern(FeedbackKeys.CHANNEL_PATTERN, this::dispatch,
                () -> lost(attempt, "the connection ended"), failure -> lost(attempt, String.valueOf(failure)));
    }

    private void lost(long attempt, String why) {
        if (stopping || attempt != generation.get() || !resubscribing.compareAndSet(false, true)) {
            return;
        }
        long next = generation.incrementAndGet();
        Log.warnf("The feedback subscription to Redis was lost (%s); subscribing again until Redis answers", why);
        closeQuietly(subscriber);
        subscriber = null;
        subscribe(next)
                .ifNoItem().after(SUBSCRIBE_TIMEOUT).fail()
                .onFailure(failure -> !stopping).retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).indefinitely()
                .subscribe().with(renewed -> {
                    subscriber = renewed;
                    resubscribing.set(false);
                    Log.infof("The feedback subscription to Redis is back; %d stream(s) with followers resync",
                            listeners.size());
                    listeners.forEach((key, set) -> set.forEach(listener -> resync(key, listener)));
                }, failure -> resubscribing.set(false));
    }

    private static void resync(String key, Listener listener) {
        try {
            listener.resync();
        } catch (RuntimeException e) {
            Log.warnf(e, "A feedback listener of %s could not resync", key);
        }
    }

    private static void closeQuietly(ReactiveRedisSubscriber lost) {
        if (lost == null) {
            return;
        }
        try {
            lost.unsubscribe().subscribe().with(done -> { }, failure -> { });
        } catch (RuntimeException e) {
            Log.debugf("Closing the lost feedback subscription failed: %s", e.getMessage());
        }
    }

    private void dispatch(String channel, String message) {
        Set<Listener> targets = listeners.get(channel);
        if (targets == null || targets.isEmpty()) {
            return;
        }
        int space = message.indexOf(' ');
        FeedbackEvent event = streams.parse(message.substring(0, space), message.substring(space + 1));
        for (Listener target : targets) {
            try {
                target.event(event);
            } catch (RuntimeException e) {
                Log.warnf(e, "A feedback listener of %s failed", channel);
            }
        }
    }
}
