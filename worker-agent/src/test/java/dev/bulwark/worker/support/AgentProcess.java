package dev.bulwark.worker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A packaged worker-agent run as its own process, as in production: it can be stopped gently or killed. */
public final class AgentProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final String url;
    private final Path log;

    private AgentProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts the agent with the given {@code BULWARK_WORKER_*} settings and waits until it is ready. */
    public static AgentProcess start(String name, String workflowUrl, Map<String, String> settings) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package'");
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = Path.of("target", "agent-" + name + "-" + port + ".log").toAbsolutePath();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx192m", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = new HashMap<>(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "BULWARK_WORKFLOW_URL", workflowUrl,
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION", workflowUrl + "/.well-known/jwks.json",
                    "BULWARK_WORKER_NAME", name,
                    "BULWARK_WORKER_CLAIM_WAIT", "5s"));
            env.putAll(settings);
            builder.environment().putAll(env);
            AgentProcess agent = new AgentProcess(builder.start(), "http://127.0.0.1:" + port, log);
            agent.awaitReady();
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start worker-agent", e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker-agent exited during start; see " + log);
            }
            if (get("/q/health/ready").map(HttpResponse::statusCode).orElse(0) == 200) {
                return;
            }
            process.onExit().completeOnTimeout(null, 250, TimeUnit.MILLISECONDS).join();
        }
        kill();
        throw new IllegalStateException("worker-agent not ready within " + START_TIMEOUT + "; see " + log);
    }

    /**
     * The value of a counter or gauge in the agent's Prometheus metrics (0 when absent). A sample counted inside a
     * trace may be followed by its exemplar ({@code # {span_id=…,trace_id=…} …}).
     */
    public double metric(String series) {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.E+-]+)(?: #.*)?$")
                .matcher(get("/q/metrics").map(HttpResponse::body).orElse(""));
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    public double succeeded() {
        return metric("bulwark_worker_tasks_finished_total{outcome=\"succeeded\"}");
    }

    public double running() {
        return metric("bulwark_worker_tasks_running");
    }

    /** The answer, or empty while the agent does not answer. */
    private Optional<HttpResponse<String>> get(String path) {
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM: the agent stops claiming and lets running tasks finish within its grace period. */
    public void stop() {
        process.destroy();
    }

    /** SIGKILL: the agent dies mid-task, as in a crash. */
    public void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }

    public boolean exited(Duration within) {
        return process.onExit().completeOnTimeout(null, within.toMillis(), TimeUnit.MILLISECONDS).join() != null;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
            if (!exited(Duration.ofSeconds(30))) {
                kill();
            }
        }
    }
}
