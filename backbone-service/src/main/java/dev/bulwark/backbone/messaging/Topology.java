package dev.bulwark.backbone.messaging;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.error.Unavailable;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Declares and changes the backbone's RabbitMQ topology: the three exchanges, and per client a durable inbox (max
 * length and TTL from config, overflow and expiry dead-lettered) bound to {@code bulwark.publish} by each
 * subscription and to {@code bulwark.broadcast}, plus the client's dead-letter queue.
 */
@ApplicationScoped
public class Topology {

    private final BrokerConnection broker;
    private final BackboneConfig config;

    Topology(BrokerConnection broker, BackboneConfig config) {
        this.broker = broker;
        this.config = config;
    }

    /** The operation to run on a short-lived channel. */
    @FunctionalInterface
    public interface ChannelWork<T> {
        T run(Channel channel) throws IOException;
    }

    public <T> T withChannel(ChannelWork<T> work) {
        Channel channel = null;
        try {
            channel = broker.get().createChannel();
            return work.run(channel);
        } catch (IOException | ShutdownSignalException e) {
            throw new Unavailable("RabbitMQ refused a topology operation", e);
        } finally {
            Channels.closeQuietly(channel);
        }
    }

    public void declareExchanges(Channel channel) throws IOException {
        channel.exchangeDeclare(Names.PUBLISH, BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(Names.BROADCAST, BuiltinExchangeType.FANOUT, true);
        channel.exchangeDeclare(Names.DLX, BuiltinExchangeType.DIRECT, true);
    }

    /** Creates (or confirms) the client's queues and bindings; idempotent. */
    public void declareClient(String clientId, Collection<String> subscriptions) {
        withChannel(channel -> {
            declareExchanges(channel);
            String dead = Names.deadLetters(clientId);
            channel.queueDeclare(dead, true, false, false,
                    Map.of("x-max-length", config.inbox().deadLetterMaxLength()));
            channel.queueBind(dead, Names.DLX, clientId);
            String inbox = Names.inbox(clientId);
            channel.queueDeclare(inbox, true, false, false, Map.of(
                    "x-max-length", config.inbox().maxLength(),
                    // drop-head dead-letters the oldest message on overflow instead of refusing the publish,
                    // which would fail every other subscriber's delivery of the same send.
                    "x-overflow", "drop-head",
                    "x-message-ttl", config.inbox().messageTtl().toMillis(),
                    "x-dead-letter-exchange", Names.DLX,
                    "x-dead-letter-routing-key", clientId));
            channel.queueBind(inbox, Names.BROADCAST, "");
            for (String pattern : subscriptions) {
                channel.queueBind(inbox, Names.PUBLISH, pattern);
            }
            return null;
        });
        Log.debugf("Declared inbox of client %s with %d subscriptions", clientId, subscriptions.size());
    }

    /** Moves the inbox's bindings from {@code before} to {@code after}: new ones first, so nothing is missed. */
    public void rebind(String clientId, Collection<String> before, Collection<String> after) {
        Set<String> added = new HashSet<>(after);
        added.removeAll(before);
        Set<String> removed = new HashSet<>(before);
        removed.removeAll(after);
        String inbox = Names.inbox(clientId);
        withChannel(channel -> {
            for (String pattern : added) {
                channel.queueBind(inbox, Names.PUBLISH, pattern);
            }
            for (String pattern : removed) {
                channel.queueUnbind(inbox, Names.PUBLISH, pattern);
            }
            return null;
        });
    }

    /** Stops routing to the inbox; queued messages stay. */
    public void unbindAll(String clientId, Collection<String> subscriptions) {
        String inbox = Names.inbox(clientId);
        withChannel(channel -> {
            for (String pattern : subscriptions) {
                channel.queueUnbind(inbox, Names.PUBLISH, pattern);
            }
            channel.queueUnbind(inbox, Names.BROADCAST, "");
            return null;
        });
    }

    public void deleteClient(String clientId) {
        withChannel(channel -> {
            channel.queueDelete(Names.inbox(clientId));
            channel.queueDelete(Names.deadLetters(clientId));
            return null;
        });
        Log.infof("Deleted the queues of client %s", clientId);
    }

    /** Messages ready in a queue, or -1 when the queue does not exist or the broker cannot say. */
    public long depth(String queue) {
        try {
            return withChannel(channel -> channel.queueDeclarePassive(queue).getMessageCount());
        } catch (Unavailable e) {
            return -1;
        }
    }
}
