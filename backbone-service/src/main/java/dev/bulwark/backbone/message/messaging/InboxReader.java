package dev.bulwark.backbone.message.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.BrokerConnection;
import dev.bulwark.backbone.broker.messaging.Channels;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.error.Unavailable;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/** Takes batches of messages from a client's inbox for receive, long-polling when it is empty. */
@ApplicationScoped
public class InboxReader {

    /** How long a receive without {@code wait} waits for messages it counted but that another reader took. */
    private static final Duration EMPTY_GRACE = Duration.ofMillis(200);

    private final BrokerConnection broker;
    private final BackboneConfig config;
    private final Vertx vertx;
    /** Channels of finished receives that hold nothing unacknowledged, for the next receives. */
    private final BlockingQueue<Channel> idle;

    InboxReader(BrokerConnection broker, BackboneConfig config, Vertx vertx) {
        this.broker = broker;
        this.config = config;
        this.vertx = vertx;
        this.idle = new ArrayBlockingQueue<>(config.receive().idleChannels());
    }

    /**
     * Up to {@code max} messages: those waiting now, or else the first to arrive within {@code wait} plus those
     * arriving right behind it. The batch completes on a broker or timer thread, never blocking the caller.
     */
    public CompletionStage<InboxBatch> fetch(String clientId, int max, Duration wait) {
        return CompletableFuture.supplyAsync(() -> open(clientId, max, wait), Infrastructure.getDefaultWorkerPool())
                .thenCompose(batch -> batch.ready);
    }

    /**
     * Consumes with a prefetch of what is waiting (or {@code max} when nothing is), and ends the batch by cancelling
     * the consumer: RabbitMQ dispatches every delivery before the cancel-ok, so the batch holds every message this
     * channel was given and none is left behind unacknowledged to come back out of order later.
     */
    private InboxBatch open(String clientId, int max, Duration wait) {
        Channel channel = null;
        try {
            channel = take();
            InboxBatch batch = new InboxBatch(channel, this::recycle);
            String inbox = Names.inbox(clientId);
            long waiting = channel.queueDeclarePassive(inbox).getMessageCount();
            if (waiting == 0 && wait.isZero()) {
                batch.finish();
                return batch;
            }
            int prefetch = waiting > 0 ? (int) Math.min(max, waiting) : max;
            channel.basicQos(prefetch);
            String tag = "receive-" + UUID.randomUUID();
            Channel consuming = channel;
            AtomicBoolean stopping = new AtomicBoolean();
            Runnable stop = () -> {
                if (stopping.compareAndSet(false, true)) {
                    Infrastructure.getDefaultWorkerPool().execute(() -> cancel(consuming, tag, batch));
                }
            };
            long lingerMillis = Math.max(1, config.receive().linger().toMillis());
            channel.basicConsume(inbox, false, tag, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) {
                    batch.add(envelope.getDeliveryTag(), body);
                    if (batch.size() >= prefetch) {
                        stop.run();
                    } else if (batch.size() == 1) {
                        vertx.setTimer(lingerMillis, id -> stop.run());
                    }
                }

                @Override
                public void handleCancelOk(String consumerTag) {
                    batch.finish();
                }

                @Override
                public void handleCancel(String consumerTag) {
                    stopping.set(true);
                    batch.finish();
                }

                @Override
                public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
                    batch.finish();
                }
            });
            // Counted messages may have gone to a concurrent reader: then this is an (empty or short) long poll.
            long patience = wait.isZero() ? EMPTY_GRACE.toMillis() : wait.toMillis();
            vertx.setTimer(patience, id -> stop.run());
            return batch;
        } catch (IOException | ShutdownSignalException e) {
            Channels.closeQuietly(channel);
            throw new Unavailable("RabbitMQ could not read the inbox", e);
        }
    }

    private Channel take() throws IOException {
        Channel channel = idle.poll();
        while (channel != null && !channel.isOpen()) {
            channel = idle.poll();
        }
        return channel != null ? channel : broker.get().createChannel();
    }

    /** Keeps a channel with no consumer and nothing unacknowledged for a later receive, or closes it. */
    private void recycle(Channel channel) {
        if (!channel.isOpen() || !idle.offer(channel)) {
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

    private static void cancel(Channel channel, String tag, InboxBatch batch) {
        try {
            channel.basicCancel(tag);
        } catch (IOException | ShutdownSignalException e) {
            batch.finish();
        }
    }
}
