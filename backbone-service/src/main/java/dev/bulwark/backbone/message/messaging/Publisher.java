package dev.bulwark.backbone.message.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.BrokerConnection;
import dev.bulwark.backbone.broker.messaging.Channels;
import dev.bulwark.backbone.broker.messaging.MessageTracing;
import dev.bulwark.backbone.broker.messaging.Topology;
import dev.bulwark.backbone.config.BackboneConfig;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Publishes persistent messages; the returned future completes only once the broker confirmed every one of them, so
 * a 202 means the messages are in the inboxes (on disk for durable queues). A client publishes only on its organisation's
 * exchanges. Concurrent sends share a few confirm-mode channels ({@link ConfirmChannel}): a send waits for its own
 * messages' confirms only, and one confirm of the broker covers many sends.
 */
@ApplicationScoped
public class Publisher {

    /** One message to publish: exchange, routing key, id (AMQP message-id) and the JSON body. */
    public record Outgoing(String exchange, String routingKey, String id, byte[] body) {
    }

    private final BrokerConnection broker;
    private final Topology topology;
    private final BackboneConfig config;
    private final AtomicReferenceArray<ConfirmChannel> channels;
    private final AtomicInteger next = new AtomicInteger();
    /** Organisations whose exchanges this publisher has declared; forgotten on any failure, then declared again. */
    private final Set<String> declaredOrgs = ConcurrentHashMap.newKeySet();

    Publisher(BrokerConnection broker, Topology topology, BackboneConfig config) {
        this.broker = broker;
        this.topology = topology;
        this.config = config;
        this.channels = new AtomicReferenceArray<>(config.publish().channels());
    }

    /**
     * Publishes messages of one organisation's client, on that organisation's exchanges only. The future completes
     * once the broker confirmed every message, or fails with {@link NotPublished} (nack, timeout, channel or
     * connection lost); no thread waits for it. Opening a channel and publishing may block, so call from a worker.
     */
    public CompletableFuture<Void> publish(String orgId, List<Outgoing> messages) {
        ConfirmChannel channel = channel();
        CompletableFuture<Void> confirmed;
        try {
            if (!declaredOrgs.contains(orgId)) {
                channel.run(c -> {
                    topology.declareExchanges(c, orgId);
                    return null;
                });
                declaredOrgs.add(orgId);
            }
            Date now = new Date();
            confirmed = channel.publish(messages, messages.stream().map(m -> properties(m, now)).toList());
        } catch (IOException | ShutdownSignalException e) {
            throw failed(channel, new NotPublished("RabbitMQ did not take the messages", e));
        }
        CompletableFuture<Void> answer = new CompletableFuture<>();
        confirmed.orTimeout(config.publish().confirmTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        answer.complete(null);
                    } else {
                        // Settled on the AMQP connection's thread, which must not wait for the channel's close.
                        Infrastructure.getDefaultWorkerPool().execute(
                                () -> answer.completeExceptionally(failed(channel, notConfirmed(error))));
                    }
                });
        return answer;
    }

    private static NotPublished notConfirmed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof TimeoutException
                ? new NotPublished("RabbitMQ did not confirm the messages in time", cause)
                : new NotPublished("RabbitMQ did not confirm the messages", cause);
    }

    private static AMQP.BasicProperties properties(Outgoing message, Date now) {
        return MessageProperties.PERSISTENT_BASIC.builder()
                .contentType("application/json")
                .messageId(message.id())
                .timestamp(now)
                .appId("backbone-service")
                .headers(MessageTracing.headers())
                .build();
    }

    /** The next shared channel, opened (again) if it is missing or closed. */
    private ConfirmChannel channel() {
        int slot = Math.floorMod(next.getAndIncrement(), channels.length());
        ConfirmChannel channel = channels.get(slot);
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        synchronized (this) {
            channel = channels.get(slot);
            if (channel == null || !channel.isOpen()) {
                try {
                    channel = new ConfirmChannel(broker.publishing().createChannel());
                } catch (IOException | ShutdownSignalException e) {
                    throw new NotPublished("RabbitMQ refused a channel", e);
                }
                channels.set(slot, channel);
            }
            return channel;
        }
    }

    /**
     * A channel that failed a publish or a confirm may owe confirms in an unknown state: it is closed (its other
     * waiting sends fail with 503 and may be retried) and the next send opens a new one.
     */
    private NotPublished failed(ConfirmChannel channel, NotPublished error) {
        declaredOrgs.clear();
        Channels.closeQuietly(channel.channel());
        return error;
    }

    @PreDestroy
    void close() {
        for (int i = 0; i < channels.length(); i++) {
            ConfirmChannel channel = channels.getAndSet(i, null);
            if (channel != null) {
                Channels.closeQuietly(channel.channel());
            }
        }
    }
}
