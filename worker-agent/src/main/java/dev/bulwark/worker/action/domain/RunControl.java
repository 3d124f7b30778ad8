package dev.bulwark.worker.action.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The handle of one running action: its deadline, and cancellation (timeout, lost lease, shutdown) that interrupts
 * the running thread and runs the hooks a runtime registered (a container runtime kills its container).
 */
public final class RunControl {

    /** Why a run was cancelled. */
    public enum Cancel { TIMEOUT, LEASE_LOST, SHUTDOWN }

    private final Instant deadline;
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private Thread runner;
    private volatile Cancel cancelled;

    public RunControl(Instant deadline) {
        this.deadline = deadline;
    }

    public Instant deadline() {
        return deadline;
    }

    /** Time left before the deadline, never negative. */
    public Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public Optional<Cancel> cancelled() {
        return Optional.ofNullable(cancelled);
    }

    /** Registers what to do on cancellation; runs it at once when the run is already cancelled. */
    public void onCancel(Runnable hook) {
        hooks.add(hook);
        if (cancelled != null && hooks.remove(hook)) {
            hook.run();
        }
    }

    /** Binds the run to the current thread, which cancellation interrupts until {@link #release()}. */
    public synchronized void bind() {
        runner = Thread.currentThread();
        if (cancelled != null) {
            runner.interrupt();
        }
    }

    /** Unbinds the thread and clears an interrupt that cancellation may have left on it. */
    public synchronized void release() {
        runner = null;
        Thread.interrupted();
    }

    /** Cancels once; later calls return false and change nothing. */
    public boolean cancel(Cancel reason) {
        synchronized (this) {
            if (cancelled != null) {
                return false;
            }
            cancelled = reason;
            if (runner != null) {
                runner.interrupt();
            }
        }
        for (Runnable hook : hooks) {
            if (hooks.remove(hook)) {
                hook.run();
            }
        }
        return true;
    }
}
