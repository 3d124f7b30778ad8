package dev.bulwark.dispatcher.dispatch.messaging;

import dev.bulwark.dispatcher.config.DispatcherConfig;
import dev.bulwark.dispatcher.dispatch.domain.DispatchMetrics;
import dev.bulwark.dispatcher.dispatch.domain.RetryClock;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The ordered lanes records run on. A record goes to lane {@code hash(key) mod concurrency} (round robin without a
 * key); a lane runs one record at a time in arrival order, retries included, so records of one key keep their order
 * while different keys run concurrently, up to {@code concurrency} at once. At most {@code max-in-flight} records
 * are taken ahead of their outcome. Retry waits are timers, not threads.
 */
@ApplicationScoped
public class Lanes implements RetryClock {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final int maxInFlight;
    private final ExecutorService workers;
    private final CompletableFuture<?>[] lanes;
    private final AtomicLong unkeyed = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<CompletableFuture<Void>> sleeping = ConcurrentHashMap.newKeySet();
    private final Object admission = new Object();
    private CompletableFuture<Void> admissionWaiter;
    private volatile boolean stopping;

    Lanes(DispatcherConfig config, DispatchMetrics metrics) {
        this.maxInFlight = config.maxInFlight();
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.concurrency(), task -> {
            Thread thread = new Thread(task, "dispatcher-lane-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.lanes = new CompletableFuture<?>[config.concurrency()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = CompletableFuture.completedFuture(null);
        }
        metrics.inFlight(inFlight::get);
    }

    /**
     * Queues the work of one record on the lane of its key. The returned stage completes once there is room for
     * another record in flight, which is how consumption is paused while {@code max-in-flight} are unfinished.
     */
    public CompletionStage<Void> submit(String key, Supplier<CompletableFuture<Void>> work) {
        int lane = key == null
                ? (int) Math.floorMod(unkeyed.getAndIncrement(), (long) lanes.length)
                : Math.floorMod(key.hashCode(), lanes.length);
        inFlight.incrementAndGet();
        synchronized (lanes) {
            // handle(): whatever became of the previous record, the lane moves on to this one.
            lanes[lane] = lanes[lane]
                    .handle((previous, failure) -> null)
                    .thenComposeAsync(previous -> work.get(), workers)
                    .whenComplete((done, failure) -> release());
        }
        return admit();
    }

    @Override
    public CompletableFuture<Void> after(Duration delay) {
        CompletableFuture<Void> sleep = new CompletableFuture<Void>()
                .completeOnTimeout(null, delay.toMillis(), TimeUnit.MILLISECONDS);
        sleeping.add(sleep);
        return sleep.whenComplete((woken, failure) -> sleeping.remove(sleep))
                .thenApplyAsync(woken -> woken, workers);
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    private CompletionStage<Void> admit() {
        synchronized (admission) {
            if (inFlight.get() <= maxInFlight) {
                return CompletableFuture.completedFuture(null);
            }
            admissionWaiter = new CompletableFuture<>();
            return admissionWaiter;
        }
    }

    private void release() {
        CompletableFuture<Void> waiter = null;
        synchronized (admission) {
            if (inFlight.decrementAndGet() <= maxInFlight && admissionWaiter != null) {
                waiter = admissionWaiter;
                admissionWaiter = null;
            }
        }
        if (waiter != null) {
            waiter.complete(null);
        }
    }

    /**
     * Runs before the Kafka consumer and the Redis client close: records still queued or waiting for a retry are
     * left unacknowledged (redelivered to whoever consumes next), the ones being handled finish, are recorded as
     * completed and acknowledged while both are still open.
     */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
        sleeping.forEach(sleep -> sleep.complete(null));
        CompletableFuture<?>[] tails;
        synchronized (lanes) {
            tails = lanes.clone();
        }
        try {
            CompletableFuture.allOf(tails).get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            Log.warnf("Lanes did not drain cleanly on shutdown (%s); unfinished records will be redelivered", e);
        }
        workers.shutdownNow();
    }
}
