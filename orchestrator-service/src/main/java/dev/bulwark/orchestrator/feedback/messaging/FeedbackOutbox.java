package dev.bulwark.orchestrator.feedback.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The writes of running sessions to Redis, in the order they were made, each retried until Redis takes it: a Redis
 * outage delays feedback instead of failing the tester that produced it, and nothing a tester reported is dropped.
 * One thread does every write, so the entries of a stream keep the order of the calls.
 */
@ApplicationScoped
public class FeedbackOutbox {

    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(2);
    private static final Duration DRAIN_AT_SHUTDOWN = Duration.ofSeconds(5);

    private final FeedbackStreams streams;
    private final LinkedBlockingQueue<Write<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean stopping;
    private volatile long drainDeadline = Long.MAX_VALUE;

    FeedbackOutbox(FeedbackStreams streams, MeterRegistry metrics) {
        this.streams = streams;
        metrics.gaugeCollectionSize("bulwark.orchestrator.feedback.pending", List.of(), queue);
        writer = new Thread(this::writeAll, "feedback-outbox");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues an event; the future completes with it, stream id set, once it is in its stream and announced. */
    public CompletableFuture<FeedbackEvent> publish(FeedbackEvent event) {
        String key = FeedbackKeys.stream(event.run(), event.tester());
        String json = streams.encode(event);
        return submit("an event of " + key, () -> event.withId(streams.append(key, json)));
    }

    /** Queues the expiry of the streams of an ended run, after everything queued before it. */
    public CompletableFuture<Void> expire(Collection<String> keys, Duration retention) {
        List<String> copy = List.copyOf(keys);
        return submit("the expiry of " + copy.size() + " stream(s)", () -> {
            streams.expire(copy, retention);
            return null;
        });
    }

    private <T> CompletableFuture<T> submit(String what, Supplier<T> action) {
        Write<T> write = new Write<>(what, action, new CompletableFuture<>());
        if (stopping) {
            write.done.completeExceptionally(new IllegalStateException("The service is stopping"));
        } else {
            queue.add(write);
        }
        return write.done;
    }

    private void writeAll() {
        int failures = 0;
        while (!stopping || !queue.isEmpty()) {
            Write<?> write;
            try {
                write = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (write == null) {
                continue;
            }
            Duration wait = FIRST_RETRY;
            while (true) {
                try {
                    write.run();
                    if (failures > 0) {
                        Log.infof("Redis takes feedback again after %d failed attempt(s); %d write(s) queued",
                                failures, queue.size());
                        failures = 0;
                    }
                    break;
                } catch (RuntimeException e) {
                    if (failures++ == 0) {
                        Log.warnf("Redis refused %s (%s); feedback is queued and retried until Redis is back",
                                write.what, e.getMessage());
                    }
                    if (System.nanoTime() > drainDeadline || !pause(wait)) {
                        write.done.completeExceptionally(e);
                        break;
                    }
                    wait = wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
                }
            }
        }
        if (!queue.isEmpty()) {
            Log.errorf("%d feedback write(s) could not reach Redis before the service stopped", queue.size());
        }
    }

    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @PreDestroy
    void stop() {
        drainDeadline = System.nanoTime() + DRAIN_AT_SHUTDOWN.toNanos();
        stopping = true;
        try {
            writer.join(DRAIN_AT_SHUTDOWN.plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
    }

    private record Write<T>(String what, Supplier<T> action, CompletableFuture<T> done) {
        void run() {
            done.complete(action.get());
        }
    }
}
