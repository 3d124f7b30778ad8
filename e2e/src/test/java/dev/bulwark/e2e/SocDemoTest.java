package dev.bulwark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16.1 end to end: the packaged suite started by {@code deploy/local/run.sh --no-build}, the SOC demo
 * ({@code deploy/local/demo.sh}) run against it — an alert on Kafka, the dispatcher, a workflow run by worker-agent
 * through the relay, the backbone (a reading client and a webhook) and the orchestrator — and the suite stopped by
 * {@code deploy/local/stop.sh} whatever happened; the alert's trace (16.3) has spans in all six services' logs. On the same
 * suite, every README's shell examples run ({@code deploy/local/readme-examples.sh}, 17.7). Scripts' output goes to
 * {@code target/e2e.log} and the console.
 */
class SocDemoTest {

    private static final Path ROOT = Path.of(System.getProperty("bulwark.root", "..")).toAbsolutePath().normalize();
    private static final Path LOG = Path.of(System.getProperty("bulwark.e2e.log", "target/e2e.log"));
    /** The scripts' state directory: BULWARK_LOCAL_STATE when set, as in deploy/local/common.sh. */
    private static final Path STATE = ROOT.resolve(
            System.getenv().getOrDefault("BULWARK_LOCAL_STATE", "deploy/local/.state"));
    private static final List<Integer> SUITE_PORTS = List.of(8081, 8082, 8083, 8084, 8085, 8086);
    private static final List<String> SERVICES = List.of("workflow-service", "worker-agent", "backbone-service",
            "relay-service", "dispatcher-service", "orchestrator-service");

    private static boolean started;

    @BeforeAll
    static void startSuite() throws Exception {
        Files.createDirectories(LOG.getParent());
        Files.deleteIfExists(LOG);
        for (int port : SUITE_PORTS) {
            assertThat(LocalPorts.listening(port))
                    .as("port %d is already in use: stop what runs there (deploy/local/stop.sh) before this test", port)
                    .isFalse();
        }
        started = true;
        Result run = script(Duration.ofMinutes(16), "deploy/local/run.sh", "--no-build");
        assertThat(run.exitCode()).as("run.sh --no-build (output in %s), last lines:%n%s", LOG, tail(run.output())).isZero();
    }

    @AfterAll
    static void stopSuite() throws Exception {
        if (started) {
            script(Duration.ofMinutes(2), "deploy/local/stop.sh");
        }
    }

    @Test
    void anAlertOnKafkaIsTriagedAcrossAllSixServices() throws Exception {
        Result demo = script(Duration.ofMinutes(8), "deploy/local/demo.sh");

        assertThat(demo.exitCode()).as("demo.sh exit code (output in %s), last lines:%n%s", LOG, tail(demo.output())).isZero();
        assertThat(demo.output())
                .contains("DEMO PASSED")
                .containsPattern("execution [0-9a-f-]{36} \\(trigger ")
                .contains("verdict: malicious")
                .contains("malicious: ip 203.0.113.66")
                .contains("malicious: domain login-bulwark-demo.example")
                .doesNotContain("malicious: domain updates.bulwark-demo.example")
                .containsPattern("console client received: \\{\"id\":\"[^\"]+\",\"topic\":\"soc.triage.malicious\"")
                .containsPattern("webhook received: \\{[^\\n]*\"signatureValid\":true")
                .containsPattern("run [0-9a-f-]{36} against [^\\n]*127.0.0.1:4000[^\\n]*: FINISHED")
                .containsPattern("SUMMARY alert=alert-\\S+ execution=\\S+ verdict=malicious message=\\S+ run=\\S+ "
                        + "outcome=FINISHED findings=[1-9] trace=[0-9a-f]{32}");

        // Issue 16.3: the alert's trace reaches every service; each logs its spans (the default span export).
        Matcher trace = Pattern.compile("(?m)^    trace ([0-9a-f]{32}) ").matcher(demo.output());
        assertThat(trace.find()).as("demo.sh prints the alert's trace id").isTrue();
        String traceId = trace.group(1);
        for (String service : SERVICES) {
            Path log = STATE.resolve("logs/" + service + ".log");
            assertThat(Files.readString(log, StandardCharsets.UTF_8))
                    .as("spans of trace %s in %s", traceId, log)
                    .contains("span trace=" + traceId + " ");
        }
    }

    /** Issue 17.7: every README's shell examples work as written on this suite (deploy/local/readme-examples.sh). */
    @Test
    void everyReadmeExampleWorksAsWritten() throws Exception {
        Result examples = script(Duration.ofMinutes(10), "deploy/local/readme-examples.sh");

        assertThat(examples.exitCode())
                .as("readme-examples.sh exit code (output in %s); the failed examples:%n%s", LOG, failures(examples.output()))
                .isZero();
        assertThat(examples.output())
                .as("examples were found and run")
                .containsPattern("(?m)^readme-examples: [1-9][0-9]* passed, 0 failed");
    }

    /** The FAIL lines of readme-examples.sh with the output it shows under each, and its summary. */
    private static String failures(String output) {
        StringBuilder report = new StringBuilder();
        boolean inFailure = false;
        for (String line : output.lines().toList()) {
            if (line.startsWith("FAIL ") || line.startsWith("readme-examples:")) {
                inFailure = line.startsWith("FAIL ");
                report.append(line).append('\n');
            } else if (inFailure && line.startsWith("     ")) {
                report.append(line).append('\n');
            } else {
                inFailure = false;
            }
        }
        return report.isEmpty() ? tail(output) : report.toString();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result script(Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(LOG.getParent(), "script", ".log");
        try {
            List<String> argv = new ArrayList<>(List.of(command));
            argv.set(0, ROOT.resolve(command[0]).toString());
            ProcessBuilder builder = new ProcessBuilder(argv).directory(ROOT.toFile());
            // A loaded build machine starts six JVMs slowly: give run.sh more than its default 180 s per wave.
            builder.environment().putIfAbsent("BULWARK_READY_TIMEOUT", "420");
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                process.waitFor(20, TimeUnit.SECONDS);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            String header = "==== " + String.join(" ", command)
                    + (ended ? " (exit " + process.exitValue() + ")" : " (timed out after " + timeout + ")") + "\n";
            Files.writeString(LOG, header + output, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.print(header + output);
            return new Result(ended ? process.exitValue() : -1, output);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The end of a script's output, so that a failure report on a build machine says why without the log file. */
    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
