package dev.bulwark.backbone.message.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.Channels;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Messages taken from one inbox for one receive, held unacknowledged on a channel of their own until the response
 * that carries them was written: {@link #ack()} then removes them from the inbox (and the channel goes back to the
 * reader's pool), {@link #release()} (a failed or cut response) closes the channel, which puts every one of them
 * back where it was.
 */
public final class InboxBatch {

    private static final byte[] OPEN = "{\"messages\":[".getBytes();
    private static final byte[] CLOSE = "]}".getBytes();

    private final Channel channel;
    private final Consumer<Channel> recycle;
    private final List<Long> tags = new ArrayList<>();
    private final List<byte[]> bodies = new ArrayList<>();
    final CompletableFuture<InboxBatch> ready = new CompletableFuture<>();

    /** @param recycle takes the channel back once it holds no unacknowledged message */
    InboxBatch(Channel channel, Consumer<Channel> recycle) {
        this.channel = channel;
        this.recycle = recycle;
    }

    /** Adds a delivery; the reader's prefetch keeps a batch within the requested size. */
    synchronized void add(long tag, byte[] body) {
        tags.add(tag);
        bodies.add(body);
    }

    public synchronized int size() {
        return tags.size();
    }

    /** Ends the batch with what it holds. */
    void finish() {
        ready.complete(this);
    }

    /** The receive response body: the stored envelopes, byte for byte. */
    public synchronized Buffer json() {
        Buffer buffer = Buffer.buffer(OPEN);
        for (int i = 0; i < bodies.size(); i++) {
            if (i > 0) {
                buffer.appendByte((byte) ',');
            }
            buffer.appendBytes(bodies.get(i));
        }
        return buffer.appendBytes(CLOSE);
    }

    /**
     * The response was written: the messages leave the inbox, with one acknowledgement for all (they are every
     * delivery this channel holds unacknowledged, so {@code multiple} up to the last covers exactly them).
     */
    public void ack() {
        long last;
        int count;
        synchronized (this) {
            count = tags.size();
            last = count == 0 ? -1 : tags.get(count - 1);
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                if (last >= 0) {
                    channel.basicAck(last, true);
                }
                recycle.accept(channel);
            } catch (IOException | ShutdownSignalException e) {
                // The broker will redeliver them: a duplicate, never a loss.
                Log.warnf("Could not acknowledge %d received messages; they will be delivered again", count);
                Channels.closeQuietly(channel);
            }
        });
    }

    /**
     * The response failed: every message returns to the inbox in its place, by closing the channel. A batch that
     * holds no message leaves its channel for the next receive.
     */
    public void release() {
        boolean empty;
        synchronized (this) {
            empty = tags.isEmpty();
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            if (empty) {
                recycle.accept(channel);
            } else {
                Channels.closeQuietly(channel);
            }
        });
    }
}
