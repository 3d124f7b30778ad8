package dev.bulwark.orchestrator.feedback.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Follows a feedback stream for a client: first everything after the client's cursor from the stream, then the
 * live events from the {@link FeedbackHub}. The listener is registered before the stream is read, and events are
 * only passed on when they come after the last one passed on, so nothing is missed or repeated at the switch.
 */
@ApplicationScoped
public class FeedbackFollower {

    /** Reads of a stream retried while Redis is away (with back-off up to 5 s: about a minute) before giving up. */
    private static final int CATCH_UP_ATTEMPTS = 15;

    private final FeedbackStreams streams;
    private final FeedbackHub hub;

    FeedbackFollower(FeedbackStreams streams, FeedbackHub hub) {
        this.streams = streams;
        this.hub = hub;
    }

    /**
     * Every event after {@code cursor}, live, until an event matching {@code last} has been passed on, or — when
     * {@code alreadyDone} — until the stream has been read to its end.
     */
    public Multi<FeedbackEvent> follow(String key, String cursor, Predicate<FeedbackEvent> last,
                                       boolean alreadyDone) {
        return Multi.createFrom().emitter(emitter -> new Follow(key, cursor, last, alreadyDone, emitter).start());
    }

    /**
     * The events after {@code cursor} that match {@code include}; when there are none yet, waits up to
     * {@code wait} for some. {@code done} in the answer says the stream will get no more events for the caller.
     */
    public Uni<Batch> poll(String key, String cursor, Predicate<FeedbackEvent> include,
                           Predicate<FeedbackEvent> last, Duration wait, boolean alreadyDone) {
        long deadline = System.nanoTime() + wait.toNanos();
        return pollUntil(key, cursor, include, last, deadline, alreadyDone);
    }

    private Uni<Batch> pollUntil(String key, String cursor, Predicate<FeedbackEvent> include,
                                 Predicate<FeedbackEvent> last, long deadline, boolean alreadyDone) {
        Wakeup wakeup = new Wakeup();
        Runnable stop = hub.listen(key, FeedbackHub.Listener.wakeUp(wakeup::signal));
        return streams.after(key, cursor)
                .onItem().transformToUni(events -> {
                    String scanned = events.isEmpty() ? cursor : events.get(events.size() - 1).id();
                    List<FeedbackEvent> matched = events.stream().filter(include).toList();
                    boolean ended = matched.stream().anyMatch(last)
                            || alreadyDone && events.size() < FeedbackStreams.PAGE;
                    long remaining = deadline - System.nanoTime();
                    if (!matched.isEmpty() || ended || remaining <= 0) {
                        return Uni.createFrom().item(new Batch(matched, scanned, ended));
                    }
                    if (events.size() == FeedbackStreams.PAGE) {
                        return pollUntil(key, scanned, include, last, deadline, alreadyDone);
                    }
                    return wakeup.await(Duration.ofNanos(remaining))
                            .onItem().transformToUni(woken -> pollUntil(key, scanned, include, last, deadline,
                                    alreadyDone));
                })
                .onTermination().invoke(stop);
    }

    /** A long-poll answer: the events, the cursor to send next time, and whether more can come. */
    public record Batch(List<FeedbackEvent> events, String cursor, boolean done) {
    }

    /** Completes once the first live event arrives (or was already signalled). */
    private static final class Wakeup {
        private final AtomicReference<Runnable> waiter = new AtomicReference<>();
        private volatile boolean signalled;

        void signal() {
            signalled = true;
            Runnable w = waiter.getAndSet(null);
            if (w != null) {
                w.run();
            }
        }

        Uni<Boolean> await(Duration timeout) {
            return Uni.createFrom().<Boolean>emitter(em -> {
                waiter.set(() -> em.complete(true));
                if (signalled && waiter.getAndSet(null) != null) {
                    em.complete(true);
                }
            }).ifNoItem().after(timeout).recoverWithItem(false);
        }
    }

    /**
     * The state of one SSE follower. A resync (the hub lost its subscription and has it back) goes back to the
     * stream for what was published meanwhile, exactly like the first catch-up.
     */
    private final class Follow implements FeedbackHub.Listener {
        private final String key;
        private final Predicate<FeedbackEvent> last;
        private final boolean alreadyDone;
        private final MultiEmitter<? super FeedbackEvent> emitter;
        private final List<FeedbackEvent> buffered = new ArrayList<>();
        private String position;
        private boolean live;
        private boolean ended;
        private boolean catchingUp;
        private boolean resyncPending;

        Follow(String key, String cursor, Predicate<FeedbackEvent> last, boolean alreadyDone,
               MultiEmitter<? super FeedbackEvent> emitter) {
            this.key = key;
            this.position = cursor;
            this.last = last;
            this.alreadyDone = alreadyDone;
            this.emitter = emitter;
        }

        void start() {
            Runnable stop = hub.listen(key, this);
            emitter.onTermination(stop);
            synchronized (this) {
                catchingUp = true;
            }
            catchUp();
        }

        @Override
        public synchronized void resync() {
            if (ended) {
                return;
            }
            if (catchingUp) {
                resyncPending = true;
                return;
            }
            live = false;
            catchingUp = true;
            catchUp();
        }

        private void catchUp() {
            String from;
            synchronized (this) {
                from = position;
            }
            streams.after(key, from)
                    .onFailure(FeedbackUnavailable.class).retry()
                    .withBackOff(FeedbackHub.FIRST_RETRY, FeedbackHub.LONGEST_RETRY).atMost(CATCH_UP_ATTEMPTS)
                    .subscribe().with(events -> {
                        synchronized (this) {
                            events.forEach(this::pass);
                            if (ended) {
                                return;
                            }
                            if (events.size() == FeedbackStreams.PAGE || resyncPending) {
                                resyncPending = false;
                                catchUp();
                                return;
                            }
                            if (alreadyDone) {
                                end();
                                return;
                            }
                            catchingUp = false;
                            live = true;
                            buffered.forEach(this::pass);
                            buffered.clear();
                        }
                    }, emitter::fail);
        }

        @Override
        public void event(FeedbackEvent event) {
            onLive(event);
        }

        private synchronized void onLive(FeedbackEvent event) {
            if (live) {
                pass(event);
            } else if (!ended) {
                buffered.add(event);
            }
        }

        private void pass(FeedbackEvent event) {
            if (ended || !event.after(position)) {
                return;
            }
            position = event.id();
            emitter.emit(event);
            if (last.test(event)) {
                end();
            }
        }

        private void end() {
            ended = true;
            emitter.complete();
        }
    }
}
