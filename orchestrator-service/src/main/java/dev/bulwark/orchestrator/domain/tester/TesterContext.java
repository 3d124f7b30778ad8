package dev.bulwark.orchestrator.domain.tester;

import java.time.Duration;

/** What a running tester session may do besides sending traffic: report, and notice it was stopped. */
public interface TesterContext {

    /** A human-readable step, shown to followers as a {@code progress} event. */
    void progress(String message);

    /** Share of the session's work done, 0–100. */
    void pctComplete(int pct);

    /** Records a finding (duplicates of the same kind and location are dropped) and announces the new count. */
    void finding(Finding finding);

    /** Throws when the session was cancelled or ran out of time; testers call it between steps. */
    void checkStopped() throws InterruptedException;

    /** Connect and response timeout for each request to the system under test. */
    Duration requestTimeout();
}
