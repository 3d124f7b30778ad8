package dev.bulwark.orchestrator.feedback.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads the feedback streams. A publish appends to the run's per-tester stream and announces the entry
 * on the channel of the same name in one Lua script, so the channel carries entries in exactly stream order: a
 * listener that caught up from the stream can continue from the channel without gaps or reordering.
 */
@ApplicationScoped
public class FeedbackStreams {

    static final String FIELD = "e";
    private static final String PUBLISH = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
            redis.call('PUBLISH', KEYS[1], id .. ' ' .. ARGV[2])
            return id""";
    private static final String MAX_LENGTH = "100000";
    /** Most events one read returns. */
    public static final int PAGE = 1000;

    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactive;
    private final ObjectMapper mapper;

    FeedbackStreams(RedisDataSource redis, ReactiveRedisDataSource reactive, ObjectMapper mapper) {
        this.redis = redis;
        this.reactive = reactive;
        this.mapper = mapper;
    }

    /** Appends and announces an event (blocking); returns it with its stream id. */
    public FeedbackEvent publish(FeedbackEvent event) {
        return event.withId(append(FeedbackKeys.stream(event.run(), event.tester()), encode(event)));
    }

    /** The JSON an event is stored as (without its id, which the stream assigns). */
    String encode(FeedbackEvent event) {
        return write(event.withId(null));
    }

    /** Appends an encoded event to stream {@code key} and announces it (blocking); returns its stream id. */
    String append(String key, String json) {
        return redis.execute("EVAL", PUBLISH, "1", key, MAX_LENGTH, json).toString();
    }

    /**
     * Up to {@value #PAGE} events after {@code cursor} ({@code null}: from the start), oldest first; fails with
     * {@link FeedbackUnavailable} while Redis cannot be read.
     */
    public Uni<List<FeedbackEvent>> after(String key, String cursor) {
        String from = cursor == null ? "-" : "(" + cursor;
        return reactive.stream(String.class).xrange(key, StreamRange.of(from, "+"), PAGE)
                .onFailure().transform(FeedbackUnavailable::new)
                .map(messages -> messages.stream().map(this::read).toList());
    }

    /** The last event of a stream, if the stream still exists. */
    public Uni<Optional<FeedbackEvent>> last(String key) {
        return reactive.stream(String.class).xrevrange(key, StreamRange.of("+", "-"), 1)
                .map(messages -> messages.stream().findFirst().map(this::read));
    }

    /** Lets the streams of a finished run disappear after {@code retention}. */
    public void expire(Collection<String> keys, Duration retention) {
        keys.forEach(key -> redis.key().expire(key, retention));
    }

    public void delete(Collection<String> keys) {
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
    }

    FeedbackEvent parse(String id, String json) {
        try {
            return mapper.readValue(json, FeedbackEvent.class).withId(id);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable feedback entry " + id, e);
        }
    }

    private FeedbackEvent read(StreamMessage<String, String, String> message) {
        return parse(message.id(), message.payload().get(FIELD));
    }

    private String write(FeedbackEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a feedback event", e);
        }
    }
}
