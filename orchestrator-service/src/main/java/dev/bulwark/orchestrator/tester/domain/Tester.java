package dev.bulwark.orchestrator.tester.domain;

import dev.bulwark.orchestrator.job.domain.Job;
import java.util.List;
import java.util.Optional;

/**
 * A kind of security test against the system under test of a job. Each of its sessions runs on its own thread;
 * a tester only ever sends traffic to {@code job.target()}.
 */
public interface Tester {

    /** Name used in APIs, feedback stream names and outcomes: {@code app}, {@code tls}. */
    String name();

    /** Why this tester has nothing to do for the job; empty when it runs. */
    Optional<String> inactiveReason(Job job);

    /** Ids of the sessions this tester runs for the job (purpleteam's test sessions). */
    List<String> sessions(Job job);

    /** What the tester would do for the job, without sending any traffic. */
    String plan(Job job);

    /** Runs one session; returns normally when done, throws {@link InterruptedException} when stopped. */
    void run(Job job, String session, TesterContext context) throws Exception;
}
