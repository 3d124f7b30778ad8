package dev.bulwark.backbone.message.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.Channels;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * One client's inbox consumer on this replica, kept attached across consecutive receives so that a receive costs no
 * AMQP round trip: the broker pushes up to {@code prefetch} messages ahead, a receive takes those waiting at once (or
 * waits for the first and lingers for more), and acknowledges its batch after the response was written. A failed
 * response closes the session's channel, which puts every message it holds back in the inbox in its place; so does
 * an idle session after {@code keep} without receives, a webhook change or a lost connection.
 */
final class InboxSession {

    /** One delivery held unacknowledged for a receive. */
    record Delivery(long tag, byte[] body) {
    }

    /** A receive waiting for messages. */
    private static final class Waiter {
        final int max;
        final InboxBatch batch;
        boolean lingering;
        long waitTimer;

        Waiter(int max, InboxBatch batch) {
            this.max = max;
            this.batch = batch;
        }
    }

    /** How long a receive without wait waits for deliveries the broker sent before its round trip. */
    private static final long DISPATCH_MILLIS = 20;

    private final Channel channel;
    private final String inbox;
    private final Vertx vertx;
    private final long lingerMillis;
    private final Duration keep;
    private final Runnable onClose;
    private final Deque<Delivery> buffered = new ArrayDeque<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    /** Delivery tags held by this channel and not yet acknowledged: buffered or in a batch being written. */
    private final NavigableSet<Long> unacked = new TreeSet<>();
    private final Duration grace;
    /** Messages counted in the inbox when the consumer was attached and not delivered yet. */
    private long pendingAtOpen;
    private int batchesOut;
    private boolean closed;
    private long idleTimer = -1;

    /**
     * @param waiting messages the inbox held when the session was opened, of which up to the prefetch will be
     *                delivered at once: a first receive waits up to {@code grace} for them (another reader may take
     *                them instead)
     * @param onClose forgets the session in its reader
     */
    InboxSession(Channel channel, String inbox, Vertx vertx, Duration linger, Duration keep, Duration grace,
                 long waiting, Runnable onClose) {
        this.channel = channel;
        this.inbox = inbox;
        this.vertx = vertx;
        this.lingerMillis = Math.max(1, linger.toMillis());
        this.keep = keep;
        this.grace = grace;
        this.pendingAtOpen = waiting;
        this.onClose = onClose;
    }

    /** Attaches the consumer; its deliveries fill this session. */
    void consume(String tag) throws IOException {
        if (pendingAtOpen > 0) {
            vertx.setTimer(grace.toMillis(), id -> settled());
        }
        channel.basicConsume(inbox, false, tag, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                       byte[] body) {
                delivered(new Delivery(envelope.getDeliveryTag(), body));
            }

            @Override
            public void handleCancel(String consumerTag) {
                // The inbox was deleted.
                close();
            }

            @Override
            public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
                close();
            }
        });
    }

    /**
     * A batch for a receive of up to {@code max} messages, completed at once when messages are waiting, else when
     * the first arrives (plus the linger) or after {@code wait}; {@code null} when the session is closed.
     */
    InboxBatch fetch(int max, Duration wait) {
        InboxBatch batch = new InboxBatch(this);
        long patience;
        synchronized (this) {
            if (closed) {
                return null;
            }
            cancelIdle();
            if (waiters.isEmpty() && !buffered.isEmpty() && (pendingAtOpen == 0 || buffered.size() >= max)) {
                take(batch, max);
                batch.finish();
                return batch;
            }
            patience = !wait.isZero() ? wait.toMillis() : pendingAtOpen > 0 ? grace.toMillis() : -1;
        }
        if (patience < 0) {
            patience = settle();
            if (patience < 0) {
                return null;
            }
        }
        synchronized (this) {
            if (closed) {
                return null;
            }
            Waiter waiter = new Waiter(max, batch);
            waiters.add(waiter);
            waiter.waitTimer = vertx.setTimer(patience, id -> serve(waiter));
            kick();
        }
        return batch;
    }

    /**
     * For a receive without wait that finds nothing buffered: a round trip on this channel, after which every
     * message the broker had handed to this consumer is at least queued for delivery here, and a count of those
     * still ready in the inbox (held back by the prefetch). The answer is how long to wait for them: a moment for
     * deliveries under way, longer when the inbox holds more; negative when the channel is gone.
     */
    private long settle() {
        try {
            long ready = channel.queueDeclarePassive(inbox).getMessageCount();
            return ready > 0 ? grace.toMillis() : DISPATCH_MILLIS;
        } catch (IOException | ShutdownSignalException e) {
            close();
            return -1;
        }
    }

    private void delivered(Delivery delivery) {
        synchronized (this) {
            if (closed) {
                return;
            }
            unacked.add(delivery.tag());
            buffered.add(delivery);
            pendingAtOpen = Math.max(0, pendingAtOpen - 1);
            kick();
        }
    }

    /** The messages counted when the consumer was attached were delivered or went to another reader. */
    private void settled() {
        synchronized (this) {
            pendingAtOpen = 0;
            kick();
        }
    }

    /**
     * Serves the first waiting receive when it can be filled, or starts its linger once messages are buffered (and
     * those counted at the start were delivered, so a first receive gets what was waiting in one batch).
     */
    private void kick() {
        Waiter first = waiters.peek();
        if (first == null || buffered.isEmpty()) {
            return;
        }
        if (buffered.size() >= first.max) {
            vertx.runOnContext(v -> serve(first));
        } else if (pendingAtOpen == 0 && !first.lingering) {
            first.lingering = true;
            vertx.setTimer(lingerMillis, id -> serve(first));
        }
    }

    /** Completes a waiting receive with what is buffered (possibly nothing), once. */
    private void serve(Waiter waiter) {
        synchronized (this) {
            if (!waiters.remove(waiter)) {
                return;
            }
            vertx.cancelTimer(waiter.waitTimer);
            take(waiter.batch, waiter.max);
            kick();
            idleIfUnused();
        }
        waiter.batch.finish();
    }

    private void take(InboxBatch batch, int max) {
        while (batch.size() < max && !buffered.isEmpty()) {
            Delivery delivery = buffered.poll();
            batch.add(delivery.tag(), delivery.body());
        }
        if (batch.size() > 0) {
            batchesOut++;
        }
    }

    /**
     * The batch's response was written: its messages leave the inbox. One {@code multiple} acknowledgement covers
     * them when no older delivery of this channel is still unacknowledged, else each is acknowledged on its own.
     */
    void ack(List<Long> tags) {
        boolean multiple;
        synchronized (this) {
            multiple = !unacked.isEmpty() && unacked.first().equals(tags.get(0));
            tags.forEach(unacked::remove);
            batchesOut--;
            idleIfUnused();
        }
        try {
            if (multiple) {
                channel.basicAck(tags.get(tags.size() - 1), true);
            } else {
                for (long tag : tags) {
                    channel.basicAck(tag, false);
                }
            }
        } catch (IOException | ShutdownSignalException e) {
            // The broker will redeliver them: a duplicate, never a loss.
            Log.warnf("Could not acknowledge %d received messages; they will be delivered again", tags.size());
            close();
        }
    }

    /** The batch's response failed: closing the channel puts every message it holds back in the inbox, in order. */
    void release() {
        close();
    }

    /** Detaches: waiting receives end empty, unacknowledged messages go back to the inbox. */
    void close() {
        if (detach()) {
            Infrastructure.getDefaultWorkerPool().execute(() -> Channels.closeQuietly(channel));
        }
    }

    /** {@link #close()}, returning once the broker closed the channel. */
    void closeAndWait() {
        if (detach()) {
            Channels.closeQuietly(channel);
        }
    }

    private boolean detach() {
        List<Waiter> ended;
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            cancelIdle();
            ended = new ArrayList<>(waiters);
            waiters.clear();
            ended.forEach(w -> vertx.cancelTimer(w.waitTimer));
            buffered.clear();
        }
        onClose.run();
        ended.forEach(w -> w.batch.finish());
        return true;
    }

    private void idleIfUnused() {
        if (waiters.isEmpty() && batchesOut == 0 && idleTimer < 0) {
            idleTimer = vertx.setTimer(Math.max(1, keep.toMillis()), id -> idleExpired());
        }
    }

    private void idleExpired() {
        synchronized (this) {
            if (idleTimer < 0) {
                return;
            }
            idleTimer = -1;
            if (!waiters.isEmpty() || batchesOut > 0) {
                return;
            }
        }
        close();
    }

    private void cancelIdle() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }
}
