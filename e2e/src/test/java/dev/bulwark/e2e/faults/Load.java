package dev.bulwark.e2e.faults;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One kind of steady load: an item every {@code interval}, each with a unique id, on a thread of its own, so a
 * request hanging on a faulty service delays only its own kind. {@link #check()} follows up what is still owed.
 */
abstract class Load implements AutoCloseable {

    private final String tag;
    private final Duration interval;
    private ScheduledExecutorService producer;
    private int sequence;
    protected String scenario;

    Load(String tag, Duration interval) {
        this.tag = tag;
        this.interval = interval;
    }

    abstract List<Tally> tallies();

    /** Sends item {@code id}; records it as accepted or refused. */
    protected abstract void produce(String id);

    /** Looks at what is still owed and records what completed or failed. */
    abstract void check();

    /** {@code scenario} names the fault and the suite's run (ids stay unique across runs: the dispatcher remembers them). */
    void start(String scenario) {
        this.scenario = scenario;
        sequence = 0;
        producer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "load-" + getClass().getSimpleName());
            thread.setDaemon(true);
            return thread;
        });
        producer.scheduleWithFixedDelay(() -> {
            try {
                produce(tag + "-" + scenario + "-" + (++sequence));
            } catch (RuntimeException e) {
                System.err.println(getClass().getSimpleName() + ": " + e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() throws InterruptedException {
        producer.shutdown();
        producer.awaitTermination(1, TimeUnit.MINUTES);
    }

    /** Once settled: counts that only the end can tell (deliveries after the first). */
    void finish() {
    }

    boolean settled() {
        return tallies().stream().allMatch(Tally::settled);
    }

    @Override
    public void close() {
    }
}
