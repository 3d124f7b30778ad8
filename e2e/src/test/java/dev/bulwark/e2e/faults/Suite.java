package dev.bulwark.e2e.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The suite of {@code deploy/local/run.sh} as the fault suite sees it: its scripts and state directory, JSON over
 * HTTP with the first admin's token, and the processes a fault kills or restarts.
 */
final class Suite {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String WORKFLOW = "http://localhost:8081";
    static final String BACKBONE = "http://localhost:8083";
    static final String ORCHESTRATOR = "http://localhost:8086";
    static final Map<String, Integer> SERVICES = Map.of("workflow-service", 8081, "worker-agent", 8082,
            "backbone-service", 8083, "relay-service", 8084, "dispatcher-service", 8085, "orchestrator-service", 8086);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    final Path root;
    final Path state;
    final Path scriptLog;
    /** Where each infrastructure restart is announced, for the engineers whose tests share the infrastructure. */
    final Path faultsLog;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private volatile String adminToken;

    Suite(Path root, Path state, Path scriptLog, Path faultsLog) {
        this.root = root;
        this.state = state;
        this.scriptLog = scriptLog;
        this.faultsLog = faultsLog;
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------

    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** One request; a connection failure or timeout is status 0 (the caller counts it as refused, never retries). */
    Answer call(String method, String url, String token, Object body, String contentType, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", contentType)
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text == null || text.isBlank() ? JSON.nullNode() : parseOrText(text);
            return new Answer(response.statusCode(), json);
        } catch (IOException e) {
            return new Answer(0, JSON.getNodeFactory().textNode(String.valueOf(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, JSON.getNodeFactory().textNode("interrupted"));
        }
    }

    Answer call(String method, String url, String token, Object body) {
        return call(method, url, token, body, "application/json", Duration.ofSeconds(15));
    }

    private static JsonNode parseOrText(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    /** A time stamp of an answer (ISO 8601 with an offset or Z). */
    static Instant time(JsonNode node) {
        return java.time.OffsetDateTime.parse(node.asText()).toInstant();
    }

    /** A call that must succeed (set-up and clean-up, while the suite is healthy). */
    JsonNode required(String method, String url, String token, Object body) {
        Answer answer = call(method, url, token, body);
        if (!answer.ok()) {
            throw new IllegalStateException(method + " " + url + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    /** The first admin of run.sh (bootstrap organisation, where the dispatcher's service account lives). */
    String admin() {
        return adminToken;
    }

    void signInAdmin() {
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(state.resolve("bootstrap-admin.env"))) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no bootstrap-admin.env in " + state + ": start the suite with run.sh", e);
        }
        adminToken = required("POST", WORKFLOW + "/api/v1/auth/token", null, Map.of("grant_type", "password",
                "username", env.getProperty("BULWARK_BOOTSTRAP_ADMIN_EMAIL"),
                "password", env.getProperty("BULWARK_BOOTSTRAP_ADMIN_PASSWORD"))).path("access_token").asText();
    }

    String clientToken(String clientId, String secret) {
        return required("POST", WORKFLOW + "/api/v1/auth/token", null, Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret)).path("access_token").asText();
    }

    boolean ready(int port) {
        return call("GET", "http://127.0.0.1:" + port + "/q/health/ready", null, null, null, Duration.ofSeconds(3))
                .status() == 200;
    }

    boolean allReady() {
        return SERVICES.values().stream().allMatch(this::ready);
    }

    // ---- processes ------------------------------------------------------------------------------------------

    /** kill -9 of a service started by run.sh (its PID file), then waits until the process is gone. */
    long kill(String module) throws IOException {
        long pid = Long.parseLong(Files.readString(state.resolve("pids/" + module + ".pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid)
                .filter(p -> p.info().commandLine().orElse("").contains(module))
                .orElseThrow(() -> new IllegalStateException(module + " (pid " + pid + ") is not running"));
        process.destroyForcibly();
        process.onExit().join();
        return pid;
    }

    /** run.sh --no-build starts what is not running (a killed service), as a supervisor would. */
    void restartServices() throws IOException, InterruptedException {
        script(Duration.ofMinutes(15), "deploy/local/run.sh", "--no-build");
    }

    /** infra.sh down, the outage, infra.sh up: each step announced with its UTC time in the shared faults log. */
    void restartInfrastructure(String component, Duration outage) throws IOException, InterruptedException {
        announce("restarting " + component + " (fault suite: down " + outage.toSeconds() + " s)");
        try {
            script(Duration.ofMinutes(3), "deploy/local/infra.sh", "down", component);
            Thread.sleep(outage.toMillis()); // the outage itself: a fault's length, not a wait for a result
        } finally {
            try {
                script(Duration.ofMinutes(6), "deploy/local/infra.sh", "up", component);
                announce(component + " back");
            } catch (IllegalStateException e) {
                announce(component + " did not answer within infra.sh's wait (see " + scriptLog + ")");
                throw e;
            }
        }
    }

    void announce(String line) throws IOException {
        Files.writeString(faultsLog, CLOCK.format(Instant.now()) + " " + line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Runs a script of deploy/local, output appended to the script log; a non-zero exit is an error. */
    String script(Duration timeout, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, root.resolve(command[0]).toString());
        Path out = Files.createTempFile(scriptLog.getParent(), "script", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().put("BULWARK_LOCAL_STATE", state.toString());
            // A loaded machine starts JVMs (six services, the Kafka broker) slowly: wait longer than the defaults.
            builder.environment().putIfAbsent("BULWARK_READY_TIMEOUT", "600");
            builder.environment().putIfAbsent("BULWARK_INFRA_TIMEOUT", "300");
            Process process = builder.start();
            boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroy(); // the script only: run.sh's children are the services
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.writeString(scriptLog, "==== " + CLOCK.format(Instant.now()) + " " + String.join(" ", command)
                    + (ended ? " (exit " + process.exitValue() + ")" : " (timed out)") + "\n" + output,
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (!ended || process.exitValue() != 0) {
                List<String> lines = output.lines().toList();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
