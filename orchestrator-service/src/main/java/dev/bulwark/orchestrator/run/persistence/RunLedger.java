package dev.bulwark.orchestrator.run.persistence;

import dev.bulwark.orchestrator.run.domain.SessionResult;
import dev.bulwark.orchestrator.tester.domain.Finding;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The leases on running runs and the writes of the instance running them. Every write is fenced by the lease: it
 * happens only while the run's {@code owner} is the writing instance, so an instance that lost a run (it paused past
 * its lease, another instance claimed the run) writes nothing more for it.
 */
@ApplicationScoped
public class RunLedger {

    private final EntityManager entityManager;

    RunLedger(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Extends the leases of the {@code active} runs {@code owner} still holds and returns their states. */
    public Map<UUID, TestRun.Status> renew(String owner, Duration lease, Collection<UUID> active) {
        if (active.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            // only the runs running here: one this instance gave up (RunEngine#abandon) lets its lease expire
            entityManager.createNativeQuery("update test_run set lease_until = now() + make_interval(secs => :s) "
                            + "where owner = :owner and status = 'RUNNING' and id in (:active)")
                    .setParameter("s", (double) lease.toMillis() / 1000).setParameter("owner", owner)
                    .setParameter("active", active).executeUpdate();
            return TestRun.<TestRun>list("owner = ?1 and id in ?2", owner, active).stream()
                    .collect(Collectors.toMap(run -> run.id, run -> run.status));
        });
    }

    /**
     * Takes up to {@code limit} running runs whose lease expired (their instance stopped) for {@code owner}: their
     * unended sessions go back to {@code QUEUED} to be run again. Rows another instance is claiming are skipped.
     */
    @SuppressWarnings("unchecked")
    public List<UUID> claimExpired(String owner, Duration lease, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> ids = entityManager.createNativeQuery("select id from test_run where status = 'RUNNING' "
                            + "and (lease_until is null or lease_until < now()) order by created_at limit :limit "
                            + "for update skip locked")
                    .setParameter("limit", limit).getResultList();
            if (!ids.isEmpty()) {
                entityManager.createNativeQuery("update test_run set owner = :owner, claims = claims + 1, "
                                + "lease_until = now() + make_interval(secs => :s) where id in (:ids)")
                        .setParameter("owner", owner).setParameter("s", (double) lease.toMillis() / 1000)
                        .setParameter("ids", ids).executeUpdate();
                entityManager.createNativeQuery("update tester_session set status = 'QUEUED', pct_complete = 0, "
                                + "findings = 0, message = null where run_id in (:ids) and status in ('QUEUED', 'RUNNING')")
                        .setParameter("ids", ids).executeUpdate();
            }
            return ids;
        });
    }

    /** Lets other instances claim {@code owner}'s running runs at once (this instance is stopping). */
    public int release(String owner) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                        "update test_run set lease_until = null where owner = :owner and status = 'RUNNING'")
                .setParameter("owner", owner).executeUpdate());
    }

    /** Sets one column of a session's live state ({@code pct_complete}, {@code findings}, {@code status}). */
    public void sessionState(UUID runId, String owner, String tester, String session, String column, Object value) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("update tester_session s set "
                        + column + " = :value where run_id = :run and tester = :tester and session_id = :session "
                        + "and exists (select 1 from test_run r where r.id = s.run_id and r.owner = :owner)")
                .setParameter("value", value).setParameter("run", runId).setParameter("tester", tester)
                .setParameter("session", session).setParameter("owner", owner).executeUpdate());
    }

    /** Stores how a session ended, with its findings; false when {@code owner} no longer holds the run. */
    public boolean endSession(UUID runId, String owner, SessionResult result) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!holds(runId, owner)) {
                return false;
            }
            TesterSession.update("status = ?1, message = ?2, findings = ?3 where runId = ?4 and tester = ?5 "
                            + "and sessionId = ?6", result.status(), result.message(), result.findings().size(), runId,
                    result.tester(), result.session());
            for (Finding finding : result.findings()) {
                FindingRecord record = new FindingRecord();
                record.runId = runId;
                record.tester = result.tester();
                record.sessionId = result.session();
                record.kind = finding.kind();
                record.severity = finding.severity().name();
                record.title = clip(finding.title(), 500);
                record.location = clip(finding.location(), 2000);
                record.evidence = clip(finding.evidence(), 4000);
                record.persist();
            }
            return true;
        });
    }

    /** Ends the run with its outcomes and forgets its job; false when {@code owner} no longer holds the run. */
    public boolean close(UUID runId, String owner, TestRun.Status status, byte[] archive) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!holds(runId, owner)) {
                return false;
            }
            TestRun.update("status = ?1, finishedAt = ?2, leaseUntil = null where id = ?3", status, Instant.now(),
                    runId);
            RunJob.deleteById(runId);
            if (archive != null) {
                RunOutcomes outcomes = new RunOutcomes();
                outcomes.runId = runId;
                outcomes.archive = archive;
                outcomes.persist();
            }
            return true;
        });
    }

    /** Locks the run row, so no other instance can claim it until the caller's transaction ends. */
    private boolean holds(UUID runId, String owner) {
        TestRun run = entityManager.find(TestRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
        return run != null && owner.equals(run.owner);
    }

    /** The stored results of the sessions of a run that have ended. */
    public static List<SessionResult> endedSessions(UUID runId) {
        Map<String, List<FindingRecord>> findings = FindingRecord.<FindingRecord>list("runId", runId).stream()
                .collect(Collectors.groupingBy(f -> f.tester + '/' + f.sessionId));
        return TesterSession.<TesterSession>list("runId = ?1 order by id", runId).stream()
                .filter(s -> s.status.terminal())
                .map(s -> new SessionResult(s.tester, s.sessionId, s.status, s.message,
                        findings.getOrDefault(s.tester + '/' + s.sessionId, List.of()).stream()
                                .map(f -> new Finding(f.kind, Finding.Severity.valueOf(f.severity), f.title,
                                        f.location, f.evidence)).toList()))
                .toList();
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
