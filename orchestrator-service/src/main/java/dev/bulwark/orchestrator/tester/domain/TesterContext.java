package dev.bulwark.orchestrator.tester.domain;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

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

    /**
     * Resolves the host of {@code uri} and checks every address and the port against the egress policy of the run's
     * organisation; testers call it before each connection (DNS may have changed since the job was accepted).
     *
     * @return the checked addresses
     * @throws dev.bulwark.common.egress.EgressRefused naming the reason
     */
    List<InetAddress> checkEgress(URI uri);

    /** Most bytes of one response body a tester reads ({@code bulwark.egress.max-body}); the rest is left unread. */
    long maxResponseBody();
}
