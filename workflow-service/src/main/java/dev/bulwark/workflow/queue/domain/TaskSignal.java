package dev.bulwark.workflow.queue.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Wakes the long-polling claims of this replica when the current transaction commits new tasks. Claims waiting in
 * other replicas see them at their next poll ({@code bulwark.workflow.queue.poll-interval}).
 */
@ApplicationScoped
public class TaskSignal {

    private final TransactionSynchronizationRegistry transactions;
    private final Object monitor = new Object();
    private long generation;

    TaskSignal(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Signals after the current transaction commits; registering twice in one transaction is harmless. */
    public void afterCommit() {
        if (transactions.getResource(TaskSignal.class) != null) {
            return;
        }
        transactions.putResource(TaskSignal.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    signal();
                }
            }
        });
    }

    void signal() {
        synchronized (monitor) {
            generation++;
            monitor.notifyAll();
        }
    }

    long generation() {
        synchronized (monitor) {
            return generation;
        }
    }

    /** Waits until a signal after {@code seen} or the timeout, whichever comes first. */
    void await(long seen, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (monitor) {
            while (generation == seen) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                monitor.wait(left);
            }
        }
    }
}
