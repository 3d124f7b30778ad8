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
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client's inbox as an endless stream for SSE. Each message is acknowledged only when the subscriber asks for the
 * next one — which the SSE writer does after the previous event was written — so a dropped connection leaves the
 * unwritten and the last written-but-unconfirmed message in the inbox for the next stream or receive.
 */
@ApplicationScoped
public class InboxStream {

    /** One inbox message on its way to the client. */
    public record Streamed(String id, long tag, boolean redelivered, byte[] body) {
    }

    private final BrokerConnection broker;
    private final BackboneConfig config;

    InboxStream(BrokerConnection broker, BackboneConfig config) {
        this.broker = broker;
        this.config = config;
    }

    /**
     * @param lastEventId the SSE {@code Last-Event-ID} of a reconnecting client: that message, if it comes again,
     *                    was already written to the client, so it is acknowledged and skipped
     */
    public Multi<Streamed> open(String clientId, String lastEventId) {
        AtomicReference<Channel> channelRef = new AtomicReference<>();
        AtomicReference<Streamed> written = new AtomicReference<>();
        Multi<Streamed> deliveries = Multi.createFrom().<Streamed>emitter(emitter -> {
            try {
                Channel channel = broker.get().createChannel();
                channelRef.set(channel);
                channel.basicQos(config.stream().prefetch());
                channel.basicConsume(Names.inbox(clientId), false, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                               byte[] body) {
                        Streamed message = new Streamed(properties.getMessageId(), envelope.getDeliveryTag(),
                                envelope.isRedeliver(), body);
                        if (message.redelivered() && lastEventId != null && lastEventId.equals(message.id())) {
                            ack(channel, message);
                        } else {
                            emitter.emit(message);
                        }
                    }

                    @Override
                    public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
                        if (!signal.isInitiatedByApplication()) {
                            emitter.fail(new Unavailable("The connection to RabbitMQ was lost", signal));
                        }
                    }
                });
            } catch (IOException | ShutdownSignalException e) {
                emitter.fail(new Unavailable("RabbitMQ could not open the inbox stream", e));
            }
        }, BackPressureStrategy.BUFFER);
        return deliveries
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItem().invoke(written::set)
                .onRequest().invoke(n -> {
                    Streamed previous = written.getAndSet(null);
                    if (previous != null) {
                        ack(channelRef.get(), previous);
                    }
                })
                .onTermination().invoke(() -> {
                    Channel channel = channelRef.get();
                    if (channel != null) {
                        Infrastructure.getDefaultWorkerPool().execute(() -> Channels.closeQuietly(channel));
                    }
                });
    }

    private static void ack(Channel channel, Streamed message) {
        try {
            channel.basicAck(message.tag(), false);
        } catch (IOException | ShutdownSignalException e) {
            Log.debugf("Could not acknowledge streamed message %s; it will be delivered again", message.id());
        }
    }
}
