package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.run.persistence.RunLedger;
import dev.bulwark.orchestrator.run.persistence.TestRun;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps the runs of this instance leased and takes over the runs of stopped instances, as workflow-service's task
 * queue does with its tasks: every {@code lease-check-interval} the instance renews the lease on the runs it runs,
 * stops those it no longer holds (cancelled through another instance, or claimed by another instance after this one
 * missed its renewals), and claims runs whose lease expired.
 */
@ApplicationScoped
public class RunLeases {

    /** Most runs one check claims, so one instance does not take over the whole backlog of a stopped one at once. */
    private static final int CLAIMS_PER_CHECK = 10;

    private final RunEngine engine;
    private final RunResumption resumption;
    private final RunLedger ledger;
    private final ServiceInstance instance;
    private final OrchestratorConfig config;

    RunLeases(RunEngine engine, RunResumption resumption, RunLedger ledger, ServiceInstance instance,
              OrchestratorConfig config) {
        this.engine = engine;
        this.resumption = resumption;
        this.ledger = ledger;
        this.instance = instance;
        this.config = config;
    }

    @Scheduled(every = "${bulwark.orchestrator.lease-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        Set<UUID> active = engine.active();
        Map<UUID, TestRun.Status> held = ledger.renew(instance.id(), config.lease(), active);
        for (UUID id : active) {
            TestRun.Status status = held.get(id);
            if (status == null) {
                engine.abandon(id, "another service instance holds it now");
            } else if (status == TestRun.Status.CANCELLED) {
                engine.cancel(id);
            }
        }
        for (UUID id : ledger.claimExpired(instance.id(), config.lease(), CLAIMS_PER_CHECK)) {
            Log.infof("Claimed run %s, whose lease expired", id);
            resumption.resume(id);
        }
    }
}
