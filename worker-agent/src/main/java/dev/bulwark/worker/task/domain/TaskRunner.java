package dev.bulwark.worker.task.domain;

import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.ActionResult;
import dev.bulwark.worker.action.domain.AppRuntime;
import dev.bulwark.worker.action.domain.RunControl;
import dev.bulwark.worker.action.domain.RunControl.Cancel;
import dev.bulwark.worker.config.WorkerConfig;
import dev.bulwark.worker.task.domain.AgentMetrics.Outcome;
import dev.bulwark.worker.task.messaging.WorkflowQueue;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.MDC;

/**
 * Runs claimed tasks on a bounded pool of {@code concurrency} threads, one slot per task; each action runs on a
 * thread of its own, so that its task ends at the timeout even when the action does not stop (CPU-bound work).
 * While a task runs its lease is renewed by {@link Heartbeats}; the action is cancelled when its timeout passes, when
 * the lease is lost or at the end of a stop's grace period. How the task ended goes to the {@link ResultReporter}.
 */
@ApplicationScoped
public class TaskRunner {

    /** MDC keys set while a task runs, for structured (JSON) logs; messages name the ids too. */
    private static final String MDC_TASK = "taskId";
    private static final String MDC_ATTEMPT = "attempt";
    private static final String MDC_EXECUTION = "executionId";

    private final AppRuntime runtime;
    private final AgentMetrics metrics;
    private final TaskTracing tracing;
    private final Heartbeats heartbeats;
    private final ResultReporter results;
    private final int concurrency;
    private final Semaphore slots;
    private final ThreadPoolExecutor workers;
    /** The threads actions run on; the pool thread of a task waits for its action until the deadline only. */
    private final ExecutorService actions;
    private final Set<RunControl> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    @Inject
    TaskRunner(Runtimes runtime, WorkflowQueue queue, AgentMetrics metrics, WorkerConfig config, TaskTracing tracing) {
        this(runtime, queue, metrics, config.concurrency().orElse(2 * Runtime.getRuntime().availableProcessors()),
                config.resultRetry(), tracing);
    }

    public TaskRunner(AppRuntime runtime, WorkflowQueue queue, AgentMetrics metrics, int concurrency,
                      Duration resultRetry) {
        this(runtime, queue, metrics, concurrency, resultRetry, TaskTracing.untraced());
    }

    public TaskRunner(AppRuntime runtime, WorkflowQueue queue, AgentMetrics metrics, int concurrency,
                      Duration resultRetry, TaskTracing tracing) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("bulwark.worker.concurrency must be at least 1, not " + concurrency);
        }
        this.runtime = runtime;
        this.metrics = metrics;
        this.tracing = tracing;
        this.results = new ResultReporter(queue, metrics, resultRetry);
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency);
        this.workers = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(concurrency), threads("bulwark-task-"));
        this.actions = Executors.newCachedThreadPool(threads("bulwark-action-"));
        this.heartbeats = new Heartbeats(queue,
                Executors.newScheduledThreadPool(Math.max(2, concurrency / 4), threads("bulwark-heartbeat-")));
    }

    public int concurrency() {
        return concurrency;
    }

    /** Waits until a slot is free, then takes every free slot; returns how many were taken. */
    public int acquireSlots() throws InterruptedException {
        slots.acquire();
        return 1 + slots.drainPermits();
    }

    public void releaseSlots(int count) {
        slots.release(count);
    }

    /** Runs a task on one of the slots taken by {@link #acquireSlots()}; the slot is freed when the task ends. */
    public void start(ClaimedTask task, Instant claimedAt) {
        if (stopping) {
            Log.infof("task %s attempt %d execution %s: not started, the agent is stopping (its lease will expire)",
                    task.taskId(), task.attempt(), task.executionId());
            metrics.skipped(Outcome.ABANDONED);
            slots.release();
            return;
        }
        try {
            workers.execute(() -> {
                MDC.put(MDC_TASK, task.taskId());
                MDC.put(MDC_ATTEMPT, Integer.toString(task.attempt()));
                MDC.put(MDC_EXECUTION, task.executionId());
                try {
                    tracing.run(task, () -> execute(task, claimedAt));
                } finally {
                    MDC.remove(MDC_TASK);
                    MDC.remove(MDC_ATTEMPT);
                    MDC.remove(MDC_EXECUTION);
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            metrics.skipped(Outcome.ABANDONED);
            slots.release();
        }
    }

    private void execute(ClaimedTask task, Instant claimedAt) {
        Lease lease = new Lease(claimedAt, task.leaseExpiresAt());
        Instant start = Instant.now();
        if (!lease.heldAt(start)) {
            Log.warnf("task %s attempt %d execution %s: lease expired before the start; not run", task.taskId(),
                    task.attempt(), task.executionId());
            metrics.skipped(Outcome.LEASE_LOST);
            return;
        }
        Duration timeout = Duration.ofSeconds(Math.max(1, task.timeoutSeconds()));
        RunControl control = new RunControl(start.plus(timeout));
        metrics.started(Duration.between(claimedAt, start));
        running.add(control);
        ScheduledFuture<?> heartbeat = heartbeats.renew(task, lease, control);
        Log.debugf("task %s attempt %d execution %s: %s.%s started", task.taskId(), task.attempt(), task.executionId(),
                task.app(), task.action());
        Future<ActionResult> action = actions.submit(Context.current().wrap(withMdc(() -> {
            control.bind();
            try {
                return runtime.run(task, control);
            } finally {
                control.release();
            }
        })));
        ActionResult result = null;
        ActionFailed failure = null;
        try {
            result = action.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The action thread may not stop (CPU-bound work ignores interrupts): the task ends now all the same.
            if (control.cancel(Cancel.TIMEOUT)) {
                Log.infof("task %s attempt %d execution %s: timed out after %d s", task.taskId(), task.attempt(),
                        task.executionId(), timeout.toSeconds());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ActionFailed failed) {
                failure = failed;
            } else if (e.getCause() instanceof InterruptedException) {
                Log.debugf("task %s attempt %d: interrupted (%s)", task.taskId(), task.attempt(),
                        control.cancelled().map(Enum::name).orElse("no cancellation"));
            } else {
                Log.errorf(e.getCause(), "task %s attempt %d execution %s: the agent failed running %s.%s",
                        task.taskId(), task.attempt(), task.executionId(), task.app(), task.action());
                failure = new ActionFailed("the agent failed running the action ("
                        + e.getCause().getClass().getSimpleName() + ")");
            }
        } catch (InterruptedException e) {
            control.cancel(Cancel.SHUTDOWN);
            Thread.currentThread().interrupt();
        } finally {
            heartbeat.cancel(false);
            running.remove(control);
        }
        Duration took = Duration.between(start, Instant.now());
        results.report(task, control, timeout, result, failure, took);
        awaitEnd(task, action);
    }

    /**
     * Keeps the task's slot until its action thread has really ended, so that actions which ignore cancellation
     * can never occupy more threads than {@code concurrency}.
     */
    private static void awaitEnd(ClaimedTask task, Future<ActionResult> action) {
        if (action.isDone()) {
            return;
        }
        Log.warnf("task %s attempt %d execution %s: its action still runs after the task ended; its slot stays "
                + "taken until it stops", task.taskId(), task.attempt(), task.executionId());
        try {
            action.get();
        } catch (ExecutionException | CancellationException e) {
            // the task's outcome is already decided
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> Callable<T> withMdc(Callable<T> work) {
        Map<String, Object> context = MDC.getMap();
        return () -> {
            context.forEach(MDC::put);
            try {
                return work.call();
            } finally {
                context.keySet().forEach(MDC::remove);
            }
        };
    }

    /**
     * Stops: no new task starts; running tasks get {@code grace} to finish (and post); the rest are cancelled and
     * their leases left to expire.
     */
    public void shutdown(Duration grace) {
        stopping = true;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                Log.infof("%d task(s) still running after the %s grace period: cancelling", running.size(), grace);
                running.forEach(control -> control.cancel(Cancel.SHUTDOWN));
                workers.shutdownNow();
                workers.awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.forEach(control -> control.cancel(Cancel.SHUTDOWN));
            workers.shutdownNow();
        } finally {
            heartbeats.shutdown();
            actions.shutdownNow();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
