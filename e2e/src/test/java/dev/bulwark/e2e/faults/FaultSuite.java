package dev.bulwark.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.e2e.LocalPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Issue 16.7, the fault suite (profile {@code faults}, run by {@code deploy/local/faults.sh} before each release; not
 * part of the default build: about 12 minutes, and it restarts the shared infrastructure). Under steady load of every
 * kind — executions through REST (engine and worker-agent), backbone messages, dispatcher records to the backbone and
 * to the relay, orchestrator runs and their events, each item with a unique id — each scenario injects one fault:
 * {@code kill -9} of each of the six services (worker-agent while it holds tasks; a killed service is started again
 * by {@code run.sh --no-build}, as a supervisor would), or a restart of PostgreSQL, RabbitMQ, Kafka or Redis with
 * {@code infra.sh down}, an outage, {@code infra.sh up}. After the load, it waits until everything accepted has
 * completed (or the settle time is over) and counts per fault and load: accepted, completed, lost, duplicated,
 * refused (never accepted), owed at the fault, and recovery (fault to the first completion of an item asked for
 * after it). The report is printed and written to {@code <state>/faults/<UTC stamp>.md}; the test fails when
 * anything accepted was lost.
 */
class FaultSuite {

    private static final List<String> SERVICES = List.of("workflow-service", "worker-agent", "backbone-service",
            "relay-service", "dispatcher-service", "orchestrator-service");
    private static final List<String> INFRASTRUCTURE = List.of("postgresql", "rabbitmq", "kafka", "redis");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path root = Path.of(System.getProperty("bulwark.root", "..")).toAbsolutePath().normalize();
    private final Path state = root.resolve(System.getenv().getOrDefault("BULWARK_LOCAL_STATE", "deploy/local/.state"));
    private final Duration load = seconds("bulwark.faults.load", 45);
    private final Duration faultAt = seconds("bulwark.faults.at", 10);
    private final Duration settle = seconds("bulwark.faults.settle", 150);
    private final Duration outage = seconds("bulwark.faults.outage", 5);

    private static Duration seconds(String property, int fallback) {
        return Duration.ofSeconds(Long.parseLong(System.getProperty(property, String.valueOf(fallback))));
    }

    /** Default: every service killed, then the infrastructure restarts together (one short disturbance period). */
    private List<String> faults() {
        String chosen = System.getProperty("bulwark.faults", "");
        if (!chosen.isBlank()) {
            return Arrays.stream(chosen.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        List<String> all = new ArrayList<>();
        SERVICES.forEach(s -> all.add("kill-" + s));
        all.addAll(INFRASTRUCTURE);
        return all;
    }

    record Scenario(String fault, String detail, Instant at, Duration length, Map<String, Integer> owedAtFault,
            List<Tally.Row> rows) {
    }

    @Test
    void underSteadyLoadNoFaultLosesAcceptedWork() throws Exception {
        Path log = Path.of(System.getProperty("bulwark.e2e.log", "target/faults.log"));
        Files.createDirectories(log.getParent());
        Path faultsLog = Path.of(System.getProperty("bulwark.faults.log", state.resolve("logs/faults.log").toString()));
        Suite suite = new Suite(root, state, log, faultsLog);
        List<String> faults = faults();
        for (String fault : faults) {
            assertThat(fault).as("fault name").isIn(all());
        }
        boolean startedHere = startSuite(suite);
        Instant began = Instant.now();
        String suffix = STAMP.format(began).toLowerCase();
        Path file = state.resolve("faults/" + STAMP.format(began) + ".md");
        List<Scenario> scenarios = new ArrayList<>();
        try {
            suite.signInAdmin();
            try (Inbox inbox = new Inbox(suite);
                 OrchestratorLoad orchestrator = new OrchestratorLoad(suite,
                         Integer.getInteger("bulwark.faults.target-port", 4000))) {
                inbox.setUp(suffix);
                WorkflowLoad workflows = new WorkflowLoad(suite);
                workflows.setUp();
                try (DispatcherLoad dispatcher = new DispatcherLoad(inbox, suffix)) {
                    List<Load> loads = List.of(workflows, new BackboneLoad(suite, inbox), dispatcher, orchestrator);
                    for (String fault : faults) {
                        scenarios.add(scenario(suite, inbox, loads, fault, suffix));
                        System.out.println(Report.scenario(scenarios.get(scenarios.size() - 1)));
                        // Rewritten after each fault: an interrupted suite still leaves what it measured.
                        write(file, Report.markdown(scenarios, Duration.between(began, Instant.now()), load, faultAt,
                                settle, outage));
                    }
                }
            }
        } finally {
            if (startedHere) {
                suite.script(Duration.ofMinutes(2), "deploy/local/stop.sh");
            }
        }
        String report = Report.markdown(scenarios, Duration.between(began, Instant.now()), load, faultAt, settle,
                outage);
        write(file, report);
        System.out.println(report);
        System.out.println("report written to " + file);
        int lost = scenarios.stream().flatMap(s -> s.rows().stream()).mapToInt(Tally.Row::lost).sum();
        assertThat(lost).as("items accepted and never completed (report %s)", file).isZero();
        assertThat(scenarios.stream().flatMap(s -> s.rows().stream()).mapToInt(Tally.Row::accepted).sum())
                .as("load was accepted at all").isPositive();
    }

    private static void write(Path file, String report) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, report, StandardCharsets.UTF_8);
    }

    private static List<String> all() {
        List<String> all = new ArrayList<>(List.of("none"));
        SERVICES.forEach(s -> all.add("kill-" + s));
        all.addAll(INFRASTRUCTURE);
        return all;
    }

    private Scenario scenario(Suite suite, Inbox inbox, List<Load> loads, String fault, String run) throws Exception {
        await("the suite ready before " + fault).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(suite::allReady);
        suite.signInAdmin();
        inbox.refreshTokens();
        Instant start = Instant.now();
        loads.forEach(l -> l.start(fault + "-" + run));
        following(loads, start.plus(faultAt));

        loads.forEach(Load::check);
        Map<String, Integer> owed = new LinkedHashMap<>();
        loads.stream().flatMap(l -> l.tallies().stream()).forEach(t -> owed.put(t.name, t.pending().size()));
        Instant at = Instant.now();
        String detail = inject(suite, fault);
        Duration length = Duration.between(at, Instant.now());

        following(loads, start.plus(load));
        for (Load l : loads) {
            l.stop();
        }
        try {
            await("everything accepted completes after " + fault).atMost(settle).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        loads.forEach(Load::check);
                        return loads.stream().allMatch(Load::settled);
                    });
        } catch (ConditionTimeoutException e) {
            System.out.println(fault + ": not everything completed within " + settle + " (counted as lost)");
        }
        loads.forEach(Load::finish);
        List<Tally.Row> rows = loads.stream().flatMap(l -> l.tallies().stream()).map(t -> t.row(at)).toList();
        return new Scenario(fault, detail, at, length, owed, rows);
    }

    /** Follows up the load until {@code until}, once a second. */
    private static void following(List<Load> loads, Instant until) {
        Duration left = Duration.between(Instant.now(), until);
        if (left.isNegative()) {
            return;
        }
        await().atMost(left.plusSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            loads.forEach(Load::check);
            return !Instant.now().isBefore(until);
        });
    }

    /** The fault itself; returns what was done, for the report. */
    private String inject(Suite suite, String fault) throws IOException, InterruptedException {
        if (fault.equals("none")) {
            return "no fault (baseline)";
        }
        if (fault.startsWith("kill-")) {
            String module = fault.substring("kill-".length());
            long pid = suite.kill(module);
            Instant killed = Instant.now();
            suite.restartServices();
            return "kill -9 of " + module + " (pid " + pid + "), run.sh --no-build ready again after "
                    + Report.seconds(Duration.between(killed, Instant.now()));
        }
        suite.restartInfrastructure(fault, outage);
        return "infra.sh down " + fault + ", " + outage.toSeconds() + " s outage, infra.sh up " + fault;
    }

    /** Starts the suite when none runs (and stops it at the end); uses one that runs; refuses half a suite. */
    private static boolean startSuite(Suite suite) throws IOException, InterruptedException {
        long listening = Suite.SERVICES.values().stream().filter(LocalPorts::listening).count();
        if (listening == Suite.SERVICES.size()) {
            await("the running suite ready").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2))
                    .until(suite::allReady);
            return false;
        }
        assertThat(listening).as("some of ports 8081-8086 are in use but not all six services are ready: "
                + "stop them (deploy/local/stop.sh) or start all (run.sh)").isZero();
        suite.script(Duration.ofMinutes(16), "deploy/local/run.sh", "--no-build");
        return true;
    }
}
