package dev.bulwark.dispatcher.dispatch.domain;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where a record's next attempt waits: on a timer, not on a thread, and continuing on the record's lane so that the
 * records of its key keep waiting behind it. Implemented by the messaging layer, which owns the lanes.
 */
public interface RetryClock {

    /** Completes after the delay, or at once when the service is stopping. */
    CompletableFuture<Void> after(Duration delay);

    /** Whether the service is stopping: records not started yet are left for the next consumer. */
    boolean stopping();
}
