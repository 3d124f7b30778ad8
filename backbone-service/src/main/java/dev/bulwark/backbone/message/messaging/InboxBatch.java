package dev.bulwark.backbone.message.messaging;

import com.rabbitmq.client.ShutdownSignalException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;

/**
 * Messages taken from one inbox for one receive, held unacknowledged by the client's {@link InboxSession} until the
 * response that carries them was written: {@link #ack()} then removes them from the inbox, {@link #release()} (a
 * failed or cut response) closes the session, which puts every one of them back where it was.
 */
public final class InboxBatch {

    private static final byte[] OPEN = "{\"messages\":[".getBytes();
    private static final byte[] CLOSE = "]}".getBytes();

    private final InboxSession session;
    private final List<Long> tags;
    private final List<byte[]> bodies;

    InboxBatch(InboxSession session, List<Long> tags, List<byte[]> bodies) {
        this.session = session;
        this.tags = tags;
        this.bodies = bodies;
    }

    public int size() {
        return tags.size();
    }

    /** The receive response body: the stored envelopes, byte for byte. */
    public Buffer json() {
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
        if (tags.isEmpty()) {
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                session.ack(this, tags);
            } catch (IOException | ShutdownSignalException e) {
                // The broker will redeliver them: a duplicate, never a loss.
                Log.warnf("Could not acknowledge %d received messages; they will be delivered again", tags.size());
            }
        });
    }

    /** The response failed: every message returns to the inbox in its place. An empty batch holds nothing. */
    public void release() {
        if (!tags.isEmpty()) {
            session.release(this);
        }
    }
}
