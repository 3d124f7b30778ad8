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
import java.util.concurrent.CompletableFuture;

/**
 * One client's inbox consumer on this replica, kept attached across receives so that a receive costs no AMQP round
 * trip: the broker pushes up to the prefetch into {@code buffered}, receives take batches from its front in order,
 * and each batch is acknowledged once its response was written. Everything the broker gave this session stays
 * unacknowledged until then, so closing the channel (a released batch, an idle session, a lost connection, a
 * crash) puts all of it back into the inbox in its place. A released batch closes the session before the reader
 * opens the client's next one, so no later message overtakes the returned ones.
 */
final class InboxSession {

    private record Delivery(long tag, byte[] body) {
    }

    /** A batch taken for a waiting receive, handed to it once the session's lock is released. */
    private record Served(Waiter waiter, InboxBatch batch) {
    }

    /**
     * A receive waiting for its batch: the first message, then {@code linger} for more, or its patience runs out.
     * One that counted messages in the inbox waits for them while they keep arriving: its patience starts again
     * with each delivery, so large messages still on their way fill the batch they were counted for.
     */
    private static final class Waiter {
        final int max;
        /** Messages counted in the inbox for this receive (up to max): it waits for them, not only the first. */
        final long counted;
        final long patienceMillis;
        final CompletableFuture<InboxBatch> batch = new CompletableFuture<>();
        long patienceTimer = -1;
        boolean lingering;

        Waiter(int max, long counted, Duration patience) {
            this.max = max;
            this.counted = Math.min(max, counted);
            this.patienceMillis = patience.toMillis();
        }

        boolean full(int buffered) {
            return buffered >= max || (counted > 0 && buffered >= counted);
        }
    }

    private final Channel channel;
    private final Vertx vertx;
    private final long lingerMillis;
    private final Deque<Delivery> buffered = new ArrayDeque<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    /** Batches handed to receives and not yet acknowledged, oldest first. */
    private final Deque<InboxBatch> outstanding = new ArrayDeque<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private boolean closing;
    private long lastUsed = System.nanoTime();

    private InboxSession(Channel channel, Vertx vertx, Duration linger) {
        this.channel = channel;
        this.vertx = vertx;
        this.lingerMillis = linger.toMillis();
    }

    /** Opens a channel with a consumer on the inbox; the broker then pushes up to {@code prefetch} messages. */
    static InboxSession open(Channel channel, String inbox, int prefetch, Vertx vertx, Duration linger)
            throws IOException {
        InboxSession session = new InboxSession(channel, vertx, linger);
        channel.basicQos(prefetch);
        channel.basicConsume(inbox, false, session.new Consumer());
        return session;
    }

    private final class Consumer extends DefaultConsumer {

        Consumer() {
            super(channel);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                   byte[] body) {
            delivered(new Delivery(envelope.getDeliveryTag(), body));
        }

        @Override
        public void handleCancel(String consumerTag) {
            // The inbox was deleted.
            Infrastructure.getDefaultWorkerPool().execute(InboxSession.this::close);
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
            endWaiters();
            closed.complete(null);
        }
    }

    /**
     * A batch of up to {@code max} messages: at once if some are buffered, else the first to arrive within
     * {@code patience} and those arriving within the linger behind it (or, when {@code counted} messages were
     * waiting in the inbox, those as they arrive within {@code patience}); empty when none came.
     */
    CompletableFuture<InboxBatch> take(int max, long counted, Duration patience) {
        Waiter waiter = new Waiter(max, counted, patience);
        List<Served> served;
        synchronized (this) {
            lastUsed = System.nanoTime();
            if (closing) {
                waiter.batch.complete(empty());
                return waiter.batch;
            }
            waiters.addLast(waiter);
            // A fresh session may already hold part of what this receive counted: it waits for the rest.
            if (waiters.peekFirst() == waiter && !buffered.isEmpty()
                    && (waiter.counted <= 0 || waiter.full(buffered.size()))) {
                served = serveHead();
            } else if (!patience.isZero()) {
                startPatience(waiter);
                return waiter.batch;
            } else {
                served = null;
            }
        }
        if (served == null) {
            giveUp(waiter);
        } else {
            hand(served);
        }
        return waiter.batch;
    }

    private void startPatience(Waiter waiter) {
        if (waiter.patienceTimer >= 0) {
            vertx.cancelTimer(waiter.patienceTimer);
        }
        waiter.patienceTimer = vertx.setTimer(waiter.patienceMillis, id -> giveUp(waiter));
    }

    private void delivered(Delivery delivery) {
        List<Served> served = List.of();
        synchronized (this) {
            buffered.addLast(delivery);
            Waiter head = waiters.peekFirst();
            if (head == null) {
                return;
            }
            if (head.full(buffered.size()) || (lingerMillis == 0 && head.counted <= 0)) {
                served = serveHead();
            } else if (head.counted > 0) {
                if (head.patienceTimer >= 0) {
                    startPatience(head);
                }
            } else if (!head.lingering && lingerMillis > 0) {
                head.lingering = true;
                vertx.setTimer(lingerMillis, id -> lingered(head));
            }
        }
        hand(served);
    }

    private void lingered(Waiter waiter) {
        List<Served> served = List.of();
        synchronized (this) {
            if (waiters.peekFirst() == waiter) {
                served = serveHead();
            }
        }
        hand(served);
    }

    /** Takes batches for the first waiter from what is buffered (up to its max), then for the next ones likewise. */
    private List<Served> serveHead() {
        List<Served> served = new ArrayList<>(1);
        while (!waiters.isEmpty() && !buffered.isEmpty()) {
            Waiter waiter = waiters.pollFirst();
            if (waiter.patienceTimer >= 0) {
                vertx.cancelTimer(waiter.patienceTimer);
            }
            List<Delivery> taken = new ArrayList<>(Math.min(waiter.max, buffered.size()));
            while (taken.size() < waiter.max && !buffered.isEmpty()) {
                taken.add(buffered.pollFirst());
            }
            InboxBatch batch = new InboxBatch(this, taken.stream().map(Delivery::tag).toList(),
                    taken.stream().map(Delivery::body).toList());
            outstanding.addLast(batch);
            lastUsed = System.nanoTime();
            served.add(new Served(waiter, batch));
        }
        return served;
    }

    /**
     * Completes the receives on this thread (the consumer's, a timer's or the receive's own), outside the session's
     * lock: completing one writes its response, and handing that to another thread first would cost a hand-over.
     */
    private static void hand(List<Served> served) {
        served.forEach(s -> s.waiter().batch.complete(s.batch()));
    }

    private void giveUp(Waiter waiter) {
        List<Served> served;
        synchronized (this) {
            if (waiters.peekFirst() == waiter && !buffered.isEmpty()) {
                served = serveHead();
            } else if (waiters.remove(waiter)) {
                served = List.of(new Served(waiter, empty()));
            } else {
                return;
            }
        }
        hand(served);
    }

    /**
     * Removes a written batch's messages from the inbox: one {@code multiple} acknowledgement when no older batch is
     * still unacknowledged (the session's deliveries are taken in order), else one per message.
     */
    synchronized void ack(InboxBatch batch, List<Long> tags) throws IOException {
        // Sent under the lock: a later batch's multiple ack must not reach the broker before an older batch's ack.
        boolean oldest = outstanding.peekFirst() == batch;
        outstanding.remove(batch);
        lastUsed = System.nanoTime();
        if (oldest) {
            channel.basicAck(tags.get(tags.size() - 1), true);
        } else {
            for (long tag : tags) {
                channel.basicAck(tag, false);
            }
        }
    }

    /**
     * The batch's response failed: closes the session, which returns its messages (and everything else this
     * session holds) to the inbox in their places. Batches of other receives still being written are then
     * delivered again: a duplicate, never a loss.
     */
    void release(InboxBatch batch) {
        synchronized (this) {
            outstanding.remove(batch);
            closing = true;
        }
        Infrastructure.getDefaultWorkerPool().execute(this::close);
    }

    synchronized boolean nothingBuffered() {
        return buffered.isEmpty();
    }

    /** Messages ready in the inbox, not counting those any consumer holds. */
    long waiting(String inbox) throws IOException {
        return channel.queueDeclarePassive(inbox).getMessageCount();
    }

    /** Marks the session closing (the reader then opens no other session for its client until it is closed). */
    synchronized void closing() {
        closing = true;
    }

    synchronized boolean isClosing() {
        return closing || !channel.isOpen();
    }

    /** Unused for {@code idle}: nothing waiting, nothing being written. */
    synchronized boolean idleFor(Duration idle) {
        return waiters.isEmpty() && outstanding.isEmpty() && System.nanoTime() - lastUsed > idle.toNanos();
    }

    /** Closes the channel (blocking until the broker took back what the session held) and ends waiting receives. */
    void close() {
        closing();
        try {
            Channels.closeQuietly(channel);
        } catch (RuntimeException e) {
            Log.debug("Closing an inbox session failed", e);
        } finally {
            endWaiters();
            closed.complete(null);
        }
    }

    private InboxBatch empty() {
        return new InboxBatch(this, List.of(), List.of());
    }

    /** Waiting receives end empty: the client polls again. */
    private void endWaiters() {
        List<Waiter> ended;
        synchronized (this) {
            closing = true;
            ended = new ArrayList<>(waiters);
            waiters.clear();
            buffered.clear();
        }
        for (Waiter waiter : ended) {
            if (waiter.patienceTimer >= 0) {
                vertx.cancelTimer(waiter.patienceTimer);
            }
            waiter.batch.complete(empty());
        }
    }
}
