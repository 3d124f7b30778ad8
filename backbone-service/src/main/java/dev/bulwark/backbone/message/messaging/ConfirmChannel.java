package dev.bulwark.backbone.message.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A confirm-mode channel that concurrent sends share. Each message's publish sequence number gets a future that the
 * broker's confirm completes; RabbitMQ confirms with {@code multiple=true} whenever it can, so one confirm frame
 * completes the messages of many requests at once, and no request holds a channel while it waits.
 */
final class ConfirmChannel {

    private final Channel channel;
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed = new ConcurrentSkipListMap<>();

    ConfirmChannel(Channel channel) throws IOException {
        this.channel = channel;
        channel.confirmSelect();
        channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
                (tag, multiple) -> settle(tag, multiple, new IOException("RabbitMQ refused the message (nack)")));
        channel.addShutdownListener(this::failAll);
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    Channel channel() {
        return channel;
    }

    /** Publishes the messages in order; the future completes when the broker confirmed all of them. */
    synchronized CompletableFuture<Void> publish(List<Publisher.Outgoing> messages,
                                                 List<AMQP.BasicProperties> properties) throws IOException {
        List<CompletableFuture<Void>> confirms = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Publisher.Outgoing message = messages.get(i);
            CompletableFuture<Void> confirm = new CompletableFuture<>();
            long tag = channel.getNextPublishSeqNo();
            unconfirmed.put(tag, confirm);
            confirms.add(confirm);
            try {
                channel.basicPublish(message.exchange(), message.routingKey(), properties.get(i), message.body());
            } catch (IOException | ShutdownSignalException e) {
                unconfirmed.remove(tag);
                confirms.forEach(c -> c.completeExceptionally(e));
                throw e;
            }
        }
        return confirms.size() == 1 ? confirms.get(0)
                : CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new));
    }

    /** Runs an operation (an exchange declaration) between publishes, never in the middle of one. */
    synchronized void run(Topology.ChannelWork<?> work) throws IOException {
        work.run(channel);
    }

    private void settle(long tag, boolean multiple, IOException nack) {
        Map<Long, CompletableFuture<Void>> settled = multiple ? unconfirmed.headMap(tag, true)
                : unconfirmed.subMap(tag, true, tag, true);
        for (CompletableFuture<Void> confirm : settled.values()) {
            if (nack == null) {
                confirm.complete(null);
            } else {
                confirm.completeExceptionally(nack);
            }
        }
        settled.clear();
    }

    private void failAll(ShutdownSignalException cause) {
        unconfirmed.values().forEach(c -> c.completeExceptionally(cause));
        unconfirmed.clear();
    }
}
