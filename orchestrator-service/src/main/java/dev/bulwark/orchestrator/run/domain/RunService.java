package dev.bulwark.orchestrator.run.domain;

import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackKeys;
import dev.bulwark.orchestrator.job.domain.Job;
import dev.bulwark.orchestrator.job.domain.JobParser;
import dev.bulwark.orchestrator.run.domain.RunView.SessionView;
import dev.bulwark.orchestrator.run.domain.RunView.TesterView;
import dev.bulwark.orchestrator.run.persistence.RunJob;
import dev.bulwark.orchestrator.run.persistence.RunOutcomes;
import dev.bulwark.orchestrator.run.persistence.TestRun;
import dev.bulwark.orchestrator.run.persistence.TesterSession;
import dev.bulwark.orchestrator.tester.domain.AppTester;
import dev.bulwark.orchestrator.tester.domain.Tester;
import dev.bulwark.orchestrator.tester.domain.TlsTester;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
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

/**
 * Plans, starts, shows, cancels and deletes test runs; every lookup is confined to the caller's organisation. Runs
 * claimed from stopped instances are restarted by {@link RunResumption}; {@link RunCleanup} ends and removes runs.
 */
@ApplicationScoped
public class RunService {

    public static final String ORIGIN_API = "api";
    public static final String ORIGIN_PURPLETEAM = "purpleteam";
    private static final String CANCELLED = "cancelled";

    private final JobParser parser;
    private final RunEngine engine;
    private final ServiceInstance instance;
    private final JobSealer sealer;
    private final RunCleanup cleanup;
    private final OrchestratorConfig config;
    private final EntityManager entityManager;
    private final List<Tester> testers;
    private final EgressPolicy egress;

    RunService(JobParser parser, RunEngine engine, ServiceInstance instance, JobSealer sealer, RunCleanup cleanup,
               OrchestratorConfig config, EntityManager entityManager, AppTester app, TlsTester tls,
               EgressPolicy egress) {
        this.egress = egress;
        this.parser = parser;
        this.engine = engine;
        this.instance = instance;
        this.sealer = sealer;
        this.cleanup = cleanup;
        this.config = config;
        this.entityManager = entityManager;
        this.testers = List.of(app, tls);
    }

    /** Who asks: the organisation and subject of the token (or the purpleteam organisation). */
    public record Caller(String org, String subject) {

        /** Whom per-principal limits count: the subject within its organisation. */
        public String principal() {
            return org + "/" + subject;
        }
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

    /** The tester of this name. */
    Optional<Tester> tester(String name) {
        return testers.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * Starts a run of the job {@code body} on this instance, which holds it under a lease. {@code requestedTimeout}
     * (ISO-8601, e.g. {@code PT2M}) shortens the time each session may run; it cannot exceed the configured tester
     * timeout.
     */
    public RunView start(String body, String requestedMedium, String requestedTimeout, Caller caller, String origin) {
        Job job = parser.parse(body);
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
        TestRun run = QuarkusTransaction.requiringNew().call(() -> create(job, body, timeout, medium, caller, origin,
                sessions));
        Log.infof("Run %s started for org %s against %s with %d session(s)", run.id, caller.org(), run.target,
                sessions.size());
        engine.start(new RunEngine.Execution(run, job, sessions, List.of(), timeout));
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

    private TestRun create(Job job, String body, Duration timeout, String medium, Caller caller, String origin,
                           List<RunEngine.Planned> sessions) {
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
        run.owner = instance.id();
        run.leaseUntil = run.createdAt.plus(config.lease());
        run.persist();
        if (sealer.available()) {
            RunJob sealed = new RunJob();
            sealed.runId = run.id;
            sealed.sealed = sealer.seal(run.id, body);
            sealed.sessionTimeoutMs = timeout.toMillis();
            sealed.persist();
        }
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
                // another instance may run it: it stops the sessions when it next renews its lease
                QuarkusTransaction.requiringNew().run(() -> cleanup.markEnded(id, TestRun.Status.CANCELLED,
                        CANCELLED));
            }
            Log.infof("Run %s cancelled", id);
            return Optional.of(QuarkusTransaction.requiringNew().call(() -> view(find(id, org))));
        }
        cleanup.delete(run);
        return Optional.empty();
    }

    /** The outcomes archive of an ended run. */
    @Transactional
    public byte[] outcomes(UUID id, String org) {
        TestRun run = find(id, org);
        if (run.status.active()) {
            throw new Conflict("Run " + id + " is still running; its outcomes are ready when it ends");
        }
        return outcomes(run).orElseThrow(() -> new NotFound("Outcomes of run", id));
    }

    /** The outcomes archive of a run, once it has one. */
    @Transactional
    public Optional<byte[]> outcomes(TestRun run) {
        return RunOutcomes.<RunOutcomes>findByIdOptional(run.id).map(o -> o.archive);
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
