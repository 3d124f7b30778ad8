package dev.bulwark.dispatcher.dispatch.persistence;

import dev.bulwark.dispatcher.config.DispatcherConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Ids of the messages whose side effect is done, in Redis with a TTL, so a message redelivered after a restart or a
 * rebalance (its offset was not committed yet) is acknowledged without running its side effect again. A handler
 * with several side effects can also record what one step created, so that a retry or a redelivery reuses it.
 */
@ApplicationScoped
public class CompletedMessages {

    private final ValueCommands<String, String> values;
    private final String prefix;
    private final Duration ttl;

    CompletedMessages(RedisDataSource redis, DispatcherConfig config) {
        this.values = redis.value(String.class);
        this.prefix = config.idempotency().keyPrefix();
        this.ttl = config.idempotency().ttl();
    }

    public boolean isCompleted(String messageId) {
        return values.get(prefix + messageId) != null;
    }

    public void markCompleted(String messageId, String handler) {
        values.set(prefix + messageId, handler, new SetArgs().ex(ttl));
    }

    /** What a step of this message created, if a previous attempt got that far. */
    public Optional<String> recallStep(String messageId, String step) {
        return Optional.ofNullable(values.get(prefix + messageId + ":" + step));
    }

    public void rememberStep(String messageId, String step, String value) {
        values.set(prefix + messageId + ":" + step, value, new SetArgs().ex(ttl));
    }
}
