package dev.bulwark.backbone.message.messaging;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Messages taken from one inbox for one receive, held unacknowledged by the client's {@link InboxSession} until the
 * response that carries them was written: {@link #ack()} then removes them from the inbox, {@link #release()} (a
 * failed or cut response) closes the session's channel, which puts every one of them back where it was.
 */
public final class InboxBatch {

    private static final byte[] OPEN = "{\"messages\":[".getBytes();
    private static final byte[] CLOSE = "]}".getBytes();

    private final InboxSession session;
    private final List<Long> tags = new ArrayList<>();
    private final List<byte[]> bodies = new ArrayList<>();
    final CompletableFuture<InboxBatch> ready = new CompletableFuture<>();

    InboxBatch(InboxSession session) {
        this.session = session;
    }

    /** Adds a delivery, in the order of the inbox. */
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

    /** The response was written: the messages leave the inbox. */
    public void ack() {
        List<Long> written;
        synchronized (this) {
            written = List.copyOf(tags);
        }
        if (!written.isEmpty()) {
            Infrastructure.getDefaultWorkerPool().execute(() -> session.ack(written));
        }
    }

    /** The response failed: every message returns to the inbox in its place. An empty batch changes nothing. */
    public void release() {
        boolean empty;
        synchronized (this) {
            empty = tags.isEmpty();
        }
        if (!empty) {
            session.release();
        }
    }
}
