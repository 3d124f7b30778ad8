package dev.bulwark.backbone.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.error.Unavailable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Publishes persistent messages and returns only once the broker confirmed every one of them, so a 202 means the
 * messages are in the inboxes (on disk for durable queues). A client publishes only on its organisation's
 * exchanges. Confirm-mode channels are pooled: one is held per request while it waits for its confirms.
 */
@ApplicationScoped
public class Publisher {

    /** One message to publish: exchange, routing key, id (AMQP message-id) and the JSON body. */
    public record Outgoing(String exchange, String routingKey, String id, byte[] body) {
    }

    private final BrokerConnection broker;
    private final Topology topology;
    private final BackboneConfig config;
    private final BlockingQueue<Channel> idle;
    /** Organisations whose exchanges this publisher has declared; forgotten on any failure, then declared again. */
    private final Set<String> declaredOrgs = ConcurrentHashMap.newKeySet();

    Publisher(BrokerConnection broker, Topology topology, BackboneConfig config) {
        this.broker = broker;
        this.topology = topology;
        this.config = config;
        this.idle = new ArrayBlockingQueue<>(config.publish().channels());
    }

    /** Publishes messages of one organisation's client, on that organisation's exchanges only. */
    public void publish(String orgId, List<Outgoing> messages) {
        Channel channel = take();
        boolean healthy = false;
        try {
            if (!declaredOrgs.contains(orgId)) {
                topology.declareExchanges(channel, orgId);
                declaredOrgs.add(orgId);
            }
            long now = System.currentTimeMillis();
            for (Outgoing message : messages) {
                AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
                        .contentType("application/json")
                        .messageId(message.id())
                        .timestamp(new Date(now))
                        .appId("backbone-service")
                        .build();
                channel.basicPublish(message.exchange(), message.routingKey(), properties, message.body());
            }
            channel.waitForConfirmsOrDie(config.publish().confirmTimeout().toMillis());
            healthy = true;
        } catch (IOException | ShutdownSignalException e) {
            throw new Unavailable("RabbitMQ did not confirm the messages", e);
        } catch (TimeoutException e) {
            throw new Unavailable("RabbitMQ did not confirm the messages in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("Interrupted while waiting for RabbitMQ's confirms", e);
        } finally {
            if (!healthy) {
                declaredOrgs.clear();
            }
            release(channel, healthy);
        }
    }

    private Channel take() {
        Channel channel = idle.poll();
        while (channel != null && !channel.isOpen()) {
            channel = idle.poll();
        }
        if (channel != null) {
            return channel;
        }
        try {
            Channel fresh = broker.publishing().createChannel();
            fresh.confirmSelect();
            return fresh;
        } catch (IOException | ShutdownSignalException e) {
            throw new Unavailable("RabbitMQ refused a channel", e);
        }
    }

    /** A channel whose confirms failed may still owe acks for this request: close it rather than reuse it. */
    private void release(Channel channel, boolean healthy) {
        if (!healthy || !channel.isOpen() || !idle.offer(channel)) {
            Channels.closeQuietly(channel);
        }
    }

    @PreDestroy
    void close() {
        Channel channel;
        while ((channel = idle.poll()) != null) {
            Channels.closeQuietly(channel);
        }
    }
}
