package dev.bulwark.orchestrator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One pattern subscription per service instance for the live events of every run, fanned out in memory to the
 * clients following a stream. Each live event therefore costs one Redis message, whatever the number of clients.
 */
@ApplicationScoped
public class FeedbackHub {

    private final ReactiveRedisDataSource redis;
    private final FeedbackStreams streams;
    private final Map<String, Set<Consumer<FeedbackEvent>>> listeners = new ConcurrentHashMap<>();
    private volatile ReactiveRedisSubscriber subscriber;

    FeedbackHub(ReactiveRedisDataSource redis, FeedbackStreams streams) {
        this.redis = redis;
        this.streams = streams;
    }

    void start(@Observes StartupEvent event) {
        subscriber = redis.pubsub(String.class)
                .subscribeToPattern(FeedbackKeys.CHANNEL_PATTERN, this::dispatch)
                .await().atMost(Duration.ofSeconds(30));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.unsubscribe().await().atMost(Duration.ofSeconds(5));
        }
    }

    /** Calls {@code listener} with every live event of stream {@code key} until the returned handle is run. */
    public Runnable listen(String key, Consumer<FeedbackEvent> listener) {
        listeners.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(key, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    private void dispatch(String channel, String message) {
        Set<Consumer<FeedbackEvent>> targets = listeners.get(channel);
        if (targets == null || targets.isEmpty()) {
            return;
        }
        int space = message.indexOf(' ');
        FeedbackEvent event = streams.parse(message.substring(0, space), message.substring(space + 1));
        for (Consumer<FeedbackEvent> target : targets) {
            try {
                target.accept(event);
            } catch (RuntimeException e) {
                Log.warnf(e, "A feedback listener of %s failed", channel);
            }
        }
    }
}
