package dev.bulwark.orchestrator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One instance of this module's packaged service ({@code target/quarkus-app}, so an integration test only), as a
 * process of its own: instances started with the same {@code schema} share their runs through PostgreSQL and their
 * feedback through Redis, like replicas of one deployment. Tokens of the suite test key pair are accepted.
 */
public final class OrchestratorProcess implements AutoCloseable {

    private static final String DATABASE = "jdbc:postgresql://localhost:5432/bulwark_orchestrator";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    /** A test key only. */
    private static final String JOB_KEY = "dGVzdC1vbmx5LWpvYi1rZXktMzItYnl0ZXMtbG9uZyE=";

    private final Process process;
    private final String url;
    private final Path log;

    private OrchestratorProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts an instance named {@code name} on database schema {@code schema}; waits until it is ready. */
    public static OrchestratorProcess start(String name, String schema, List<String> properties) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after the package phase");
        }
        try {
            Path workDir = Files.createTempDirectory("bulwark-orchestrator-" + name + "-");
            Path publicKey = workDir.resolve("public.pem");
            try (InputStream in = Thread.currentThread().getContextClassLoader()
                    .getResourceAsStream("bulwark-test-keys/public.pem")) {
                Files.copy(in, publicKey);
            }
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.datasource.jdbc.url=" + DATABASE + "?currentSchema=" + schema,
                    "-Dquarkus.flyway.schemas=" + schema,
                    "-Dmp.jwt.verify.publickey.location=" + publicKey,
                    "-Dbulwark.orchestrator.job-key=" + JOB_KEY));
            command.addAll(properties);
            command.addAll(List.of("-jar", jar.toString()));
            Path log = workDir.resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            OrchestratorProcess started = new OrchestratorProcess(process, "http://127.0.0.1:" + port, log);
            started.awaitReady(name);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start orchestrator-service " + name, e);
        }
    }

    public String url() {
        return url;
    }

    public Path log() {
        return log;
    }

    /** Ends the process at once, as a crash or {@code kill -9} would: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
        process.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join();
    }

    private void awaitReady(String name) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("orchestrator-service " + name + " exited during start; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            process.onExit().completeOnTimeout(null, 250, TimeUnit.MILLISECONDS).join();
        }
        close();
        throw new IllegalStateException("orchestrator-service " + name + " not ready within " + START_TIMEOUT
                + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        process.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).join();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** Drops a schema the instances used. */
    public static void dropSchema(String schema) {
        try (Connection connection = DriverManager.getConnection(DATABASE, "bulwark", "bulwark");
             Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop the test schema " + schema, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
