package dev.bulwark.backbone.broker.messaging;

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
 * Declares and changes the backbone's RabbitMQ topology: per organisation a topic and a fanout exchange, per client
 * a durable inbox (max length and TTL from config, overflow and expiry dead-lettered) bound to its organisation's
 * topic exchange by each subscription and to its organisation's fanout exchange, plus the client's dead-letter
 * queue; and the shared dead-letter exchange.
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

    /** Declares (or confirms) the exchanges of one organisation. */
    public void declareExchanges(Channel channel, String orgId) throws IOException {
        channel.exchangeDeclare(Names.publish(orgId), BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(Names.broadcast(orgId), BuiltinExchangeType.FANOUT, true);
    }

    /** Creates (or confirms) the client's queues and its bindings in its organisation's exchanges; idempotent. */
    public void declareClient(String orgId, String clientId, Collection<String> subscriptions) {
        withChannel(channel -> {
            channel.exchangeDeclare(Names.DLX, BuiltinExchangeType.DIRECT, true);
            declareExchanges(channel, orgId);
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
            channel.queueBind(inbox, Names.broadcast(orgId), "");
            for (String pattern : subscriptions) {
                channel.queueBind(inbox, Names.publish(orgId), pattern);
            }
            return null;
        });
        Log.debugf("Declared inbox of client %s of org %s with %d subscriptions", clientId, orgId,
                subscriptions.size());
    }

    /**
     * Deletes the exchanges all organisations shared before each had its own. Deleting an exchange removes its
     * bindings, never a queue or a queued message; call it once every client's inbox is bound in its
     * organisation's exchanges. A publisher still on the shared exchange then gets an error (its sender a 503)
     * instead of a confirm for a message no inbox would get.
     */
    public void retireSharedExchanges() {
        withChannel(channel -> {
            channel.exchangeDelete(Names.SHARED_PUBLISH);
            channel.exchangeDelete(Names.SHARED_BROADCAST);
            return null;
        });
    }

    /** Moves the inbox's bindings from {@code before} to {@code after}: new ones first, so nothing is missed. */
    public void rebind(String orgId, String clientId, Collection<String> before, Collection<String> after) {
        Set<String> added = new HashSet<>(after);
        added.removeAll(before);
        Set<String> removed = new HashSet<>(before);
        removed.removeAll(after);
        String inbox = Names.inbox(clientId);
        withChannel(channel -> {
            for (String pattern : added) {
                channel.queueBind(inbox, Names.publish(orgId), pattern);
            }
            for (String pattern : removed) {
                channel.queueUnbind(inbox, Names.publish(orgId), pattern);
            }
            return null;
        });
    }

    /** Stops routing to the inbox; queued messages stay. */
    public void unbindAll(String orgId, String clientId, Collection<String> subscriptions) {
        String inbox = Names.inbox(clientId);
        withChannel(channel -> {
            for (String pattern : subscriptions) {
                channel.queueUnbind(inbox, Names.publish(orgId), pattern);
            }
            channel.queueUnbind(inbox, Names.broadcast(orgId), "");
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
