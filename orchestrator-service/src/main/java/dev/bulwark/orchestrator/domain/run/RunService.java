package dev.bulwark.orchestrator.domain.run;

import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.domain.job.Job;
import dev.bulwark.orchestrator.domain.job.JobParser;
import dev.bulwark.orchestrator.domain.outcome.OutcomesArchive;
import dev.bulwark.orchestrator.domain.run.RunView.SessionView;
import dev.bulwark.orchestrator.domain.run.RunView.TesterView;
import dev.bulwark.orchestrator.domain.tester.AppTester;
import dev.bulwark.orchestrator.domain.tester.Tester;
import dev.bulwark.orchestrator.domain.tester.TlsTester;
import dev.bulwark.orchestrator.messaging.FeedbackKeys;
import dev.bulwark.orchestrator.messaging.FeedbackStreams;
import dev.bulwark.orchestrator.persistence.TestRun;
import dev.bulwark.orchestrator.persistence.TesterSession;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** Plans, starts, shows, cancels and deletes test runs; every lookup is confined to the caller's organisation. */
@ApplicationScoped
public class RunService {

    public static final String ORIGIN_API = "api";
    public static final String ORIGIN_PURPLETEAM = "purpleteam";

    private final JobParser parser;
    private final RunEngine engine;
    private final OutcomesArchive outcomes;
    private final FeedbackStreams feedback;
    private final OrchestratorConfig config;
    private final EntityManager entityManager;
    private final List<Tester> testers;
    private final EgressPolicy egress;

    RunService(JobParser parser, RunEngine engine, OutcomesArchive outcomes, FeedbackStreams feedback,
               OrchestratorConfig config, EntityManager entityManager, AppTester app, TlsTester tls,
               EgressPolicy egress) {
        this.egress = egress;
        this.parser = parser;
        this.engine = engine;
        this.outcomes = outcomes;
        this.feedback = feedback;
        this.config = config;
        this.entityManager = entityManager;
        this.testers = List.of(app, tls);
    }

    /** Who asks: the organisation and subject of the token (or the purpleteam organisation). */
    public record Caller(String org, String subject) {
    }

    /** Where a client follows a tester of a run, and whether that tester has already ended. */
    public record FeedbackScope(UUID runId, String tester, String streamKey, boolean testerDone,
                                Map<String, Boolean> sessionsDone) {
    }

    public Job parse(String body) {
        return parser.parse(body);
    }

    public List<TesterPlan> plan(Job job) {
        return testers.stream().map(tester -> tester.inactiveReason(job)
                        .map(reason -> new TesterPlan(tester.name(), false, "Inactive: " + reason, List.of()))
                        .orElseGet(() -> new TesterPlan(tester.name(), true, tester.plan(job), tester.sessions(job))))
                .toList();
    }

    /**
     * Starts a run. {@code requestedTimeout} (ISO-8601, e.g. {@code PT2M}) shortens the time each session may run;
     * it cannot exceed the configured tester timeout.
     */
    public RunView start(Job job, String requestedMedium, String requestedTimeout, Caller caller, String origin) {
        String medium = requestedMedium == null || requestedMedium.isBlank() ? config.defaultMedium()
                : requestedMedium;
        if (!medium.equals("sse") && !medium.equals("lp")) {
            throw new Invalid("medium must be sse or lp");
        }
        Duration timeout = timeout(requestedTimeout);
        // a refused target is a 400 naming the reason; the testers check again at each connection
        egress.forOrganisation(caller.org()).check(URI.create(job.target().baseUrl() + "/"));
        List<RunEngine.Planned> sessions = new ArrayList<>();
        for (Tester tester : testers) {
            if (tester.inactiveReason(job).isEmpty()) {
                tester.sessions(job).forEach(session -> sessions.add(new RunEngine.Planned(tester, session)));
            }
        }
        if (sessions.isEmpty()) {
            throw new Invalid("No tester has anything to do for this job: "
                    + plan(job).stream().map(p -> p.name() + ": " + p.plan()).collect(Collectors.joining("; ")));
        }
        TestRun run = QuarkusTransaction.requiringNew().call(() -> create(job, medium, caller, origin, sessions));
        Log.infof("Run %s started for org %s against %s with %d session(s)", run.id, caller.org(), run.target,
                sessions.size());
        engine.start(run, job, sessions, timeout);
        return view(run);
    }

    private Duration timeout(String requested) {
        if (requested == null || requested.isBlank()) {
            return config.testerTimeout();
        }
        Duration timeout;
        try {
            timeout = Duration.parse(requested.trim());
        } catch (DateTimeParseException e) {
            throw new Invalid("timeout must be an ISO-8601 duration such as PT2M");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(config.testerTimeout()) > 0) {
            throw new Invalid("timeout must be positive and at most " + config.testerTimeout());
        }
        return timeout;
    }

    private TestRun create(Job job, String medium, Caller caller, String origin, List<RunEngine.Planned> sessions) {
        // serialises starts per organisation, so two concurrent requests cannot both take the last free slot
        entityManager.createNativeQuery("select pg_advisory_xact_lock(hashtext(:org))")
                .setParameter("org", caller.org()).getSingleResult();
        long running = TestRun.count("org = ?1 and status = ?2", caller.org(), TestRun.Status.RUNNING);
        if (running >= config.maxActiveRunsPerOrg()) {
            throw new Conflict("The organisation already has " + running + " running test run(s), the most allowed; "
                    + "wait for one to finish or cancel one");
        }
        TestRun run = new TestRun();
        run.id = UUID.randomUUID();
        run.org = caller.org();
        run.createdBy = caller.subject();
        run.origin = origin;
        run.jobType = job.type();
        run.target = job.target().baseUrl();
        run.medium = medium;
        run.status = TestRun.Status.RUNNING;
        run.createdAt = Instant.now();
        run.persist();
        for (RunEngine.Planned planned : sessions) {
            TesterSession session = new TesterSession();
            session.runId = run.id;
            session.tester = planned.tester().name();
            session.sessionId = planned.session();
            session.status = TesterSession.Status.QUEUED;
            session.persist();
        }
        return run;
    }

    @Transactional
    public List<RunView> list(String org, int limit) {
        return TestRun.<TestRun>find("org", Sort.descending("createdAt"), org).page(0, limit).list().stream()
                .map(this::view).toList();
    }

    @Transactional
    public RunView get(UUID id, String org) {
        return view(find(id, org));
    }

    /** Cancels a running run (its view is returned) or deletes an ended one with its outcomes (empty). */
    public Optional<RunView> cancelOrDelete(UUID id, String org) {
        TestRun run = QuarkusTransaction.requiringNew().call(() -> find(id, org));
        if (run.status.active()) {
            if (!engine.cancel(id)) {
                QuarkusTransaction.requiringNew().run(() -> markEnded(id, TestRun.Status.CANCELLED,
                        "cancelled while no service instance was running it"));
            }
            Log.infof("Run %s cancelled", id);
            return Optional.of(QuarkusTransaction.requiringNew().call(() -> view(find(id, org))));
        }
        delete(run);
        return Optional.empty();
    }

    private void delete(TestRun run) {
        List<String> keys = QuarkusTransaction.requiringNew().call(() -> {
            List<String> streams = streamKeys(run.id);
            TestRun.deleteById(run.id);
            return streams;
        });
        feedback.delete(keys);
        outcomes.delete(run.outcomesPath);
        Log.infof("Run %s deleted", run.id);
    }

    /** The stored outcomes archive of an ended run. */
    @Transactional
    public String outcomesPath(UUID id, String org) {
        TestRun run = find(id, org);
        if (run.status.active()) {
            throw new Conflict("Run " + id + " is still running; its outcomes are ready when it ends");
        }
        if (run.outcomesPath == null) {
            throw new NotFound("Outcomes of run", id);
        }
        return run.outcomesPath;
    }

    @Transactional
    public FeedbackScope feedbackScope(UUID id, String org, String tester) {
        find(id, org);
        List<TesterSession> sessions = TesterSession.list("runId = ?1 and tester = ?2", id, tester);
        if (sessions.isEmpty()) {
            throw new NotFound("Tester of run " + id, tester);
        }
        Map<String, Boolean> done = new LinkedHashMap<>();
        sessions.forEach(s -> done.put(s.sessionId, s.status.terminal()));
        return new FeedbackScope(id, tester, FeedbackKeys.stream(id.toString(), tester),
                done.values().stream().allMatch(Boolean::booleanValue), done);
    }

    /** The newest run started through the purpleteam endpoints. */
    @Transactional
    public Optional<TestRun> latest(String org, String origin) {
        return TestRun.<TestRun>find("org = ?1 and origin = ?2", Sort.descending("createdAt"), org, origin)
                .firstResultOptional();
    }

    /** Runs still marked running at start-up lost their testers with the previous process. */
    void recoverOrphans(@Observes StartupEvent event) {
        List<UUID> orphans = QuarkusTransaction.requiringNew().call(() -> TestRun.<TestRun>list("status",
                TestRun.Status.RUNNING).stream().map(r -> r.id).toList());
        for (UUID id : orphans) {
            List<String> keys = QuarkusTransaction.requiringNew().call(() -> {
                markEnded(id, TestRun.Status.FAILED, "interrupted by a restart of the service");
                return streamKeys(id);
            });
            feedback.expire(keys, config.feedbackRetention());
        }
        if (!orphans.isEmpty()) {
            Log.warnf("Marked %d run(s) interrupted by the last shutdown as failed", orphans.size());
        }
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        Instant cutoff = Instant.now().minus(config.retention());
        List<TestRun> expired = QuarkusTransaction.requiringNew().call(() ->
                TestRun.<TestRun>list("status != ?1 and finishedAt < ?2", TestRun.Status.RUNNING, cutoff));
        expired.forEach(this::delete);
    }

    private void markEnded(UUID id, TestRun.Status status, String reason) {
        TesterSession.update("status = ?1, message = ?2 where runId = ?3 and status in ?4",
                status == TestRun.Status.CANCELLED ? TesterSession.Status.CANCELLED : TesterSession.Status.FAILED,
                reason, id, List.of(TesterSession.Status.QUEUED, TesterSession.Status.RUNNING));
        TestRun.update("status = ?1, finishedAt = ?2 where id = ?3 and status = ?4", status, Instant.now(), id,
                TestRun.Status.RUNNING);
    }

    private static List<String> streamKeys(UUID runId) {
        return TesterSession.<TesterSession>list("runId", runId).stream().map(s -> s.tester).distinct()
                .map(tester -> FeedbackKeys.stream(runId.toString(), tester)).toList();
    }

    private TestRun find(UUID id, String org) {
        TestRun run = TestRun.findById(id);
        if (run == null || !run.org.equals(org)) {
            throw new NotFound("Test run", id);
        }
        return run;
    }

    private RunView view(TestRun run) {
        Map<String, List<TesterSession>> byTester = TesterSession.<TesterSession>list("runId", Sort.by("id"), run.id)
                .stream().collect(Collectors.groupingBy(s -> s.tester, LinkedHashMap::new, Collectors.toList()));
        List<TesterView> testerViews = byTester.entrySet().stream().map(e -> {
            List<TesterSession> sessions = e.getValue();
            return new TesterView(e.getKey(), testerStatus(sessions),
                    (int) sessions.stream().mapToInt(s -> s.pctComplete).average().orElse(0),
                    sessions.stream().mapToInt(s -> s.findings).sum(),
                    sessions.stream().map(s -> new SessionView(s.sessionId, s.status.name(), s.pctComplete, s.findings,
                            s.message)).toList());
        }).toList();
        return new RunView(run.id, run.status.name(), run.medium, run.origin, run.target, run.createdAt,
                run.finishedAt, testerViews);
    }

    private static String testerStatus(List<TesterSession> sessions) {
        if (sessions.stream().anyMatch(s -> s.status == TesterSession.Status.RUNNING)) {
            return TesterSession.Status.RUNNING.name();
        }
        if (sessions.stream().anyMatch(s -> s.status == TesterSession.Status.QUEUED)) {
            return TesterSession.Status.QUEUED.name();
        }
        if (sessions.stream().anyMatch(s -> s.status == TesterSession.Status.CANCELLED)) {
            return TesterSession.Status.CANCELLED.name();
        }
        return sessions.stream().allMatch(s -> s.status == TesterSession.Status.FAILED)
                ? TesterSession.Status.FAILED.name() : TesterSession.Status.FINISHED.name();
    }
}
