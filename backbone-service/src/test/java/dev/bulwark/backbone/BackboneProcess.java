package dev.bulwark.backbone;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bulwark.common.testing.WorkflowServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged backbone-service ({@code target/quarkus-app}) run as a process, in its production profile. */
public final class BackboneProcess implements AutoCloseable {

    private final WorkflowServiceProcess issuer;
    private final String url;
    private final Path log;
    private final Map<String, String> environment;
    private Process process;

    public BackboneProcess(WorkflowServiceProcess issuer, Map<String, String> environment) {
        this.issuer = issuer;
        this.environment = environment;
        try {
            this.url = "http://localhost:" + freePort();
            this.log = Files.createTempFile("backbone-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return url;
    }

    /** Starts (again, on the same port) and waits until ready. */
    public BackboneProcess start() {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        // e.g. -Dbackbone.jvm.options=-XX:StartFlightRecording=filename=target/backbone.jfr,settings=profile
        String options = System.getProperty("backbone.jvm.options", "").trim();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(Map.of(
                "QUARKUS_HTTP_PORT", url.substring(url.lastIndexOf(':') + 1),
                "QUARKUS_REST_CLIENT_ISSUER_URL", issuer.url(),
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", issuer.jwksUrl(),
                "BULWARK_REVOCATION_URL", issuer.url() + "/.well-known/revocations.json"));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start backbone-service", e);
        }
        // A shared, loaded machine has taken over 90 s to start it.
        try {
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250))
                    .failFast("backbone-service exited; see " + log, () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(() -> given().baseUri(url).when().get("/q/health/ready").statusCode() == 200);
        } catch (RuntimeException notReady) {
            close();
            throw notReady;
        }
        return this;
    }

    /** SIGKILL: no shutdown hook runs, as in a crash or an OOM kill. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).join();
        }
        kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
