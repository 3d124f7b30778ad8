package dev.bulwark.backbone.message.api;

import dev.bulwark.backbone.message.messaging.InboxBatch;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A receive response body that acknowledges its messages only once it was written. The REST layer writes a
 * streamed item and asks for the next one only when that write has completed on the connection; so the request
 * that follows the one item (the whole body) is the signal to ack, and a cancellation (the write failed or the
 * client went away) is the signal to release the messages back to the inbox.
 */
final class AckAfterWrite {

    private AckAfterWrite() {
    }

    static Multi<Buffer> body(CompletionStage<InboxBatch> fetch, IntConsumer delivered) {
        AtomicReference<InboxBatch> written = new AtomicReference<>();
        AtomicReference<MultiEmitter<? super Buffer>> emitterRef = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        return Multi.createFrom().<Buffer>emitter(emitter -> {
            emitterRef.set(emitter);
            fetch.whenComplete((batch, error) -> {
                if (error != null) {
                    emitter.fail(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                } else if (cancelled.get()) {
                    batch.release();
                } else if (batch.size() == 0) {
                    batch.release();
                    emitter.emit(batch.json());
                    emitter.complete();
                } else {
                    written.set(batch);
                    emitter.emit(batch.json());
                }
            });
        }).onRequest().invoke(n -> {
            InboxBatch batch = written.getAndSet(null);
            if (batch != null) {
                batch.ack();
                delivered.accept(batch.size());
                emitterRef.get().complete();
            }
        }).onCancellation().invoke(() -> {
            cancelled.set(true);
            InboxBatch batch = written.getAndSet(null);
            if (batch != null) {
                batch.release();
            }
        });
    }
}
