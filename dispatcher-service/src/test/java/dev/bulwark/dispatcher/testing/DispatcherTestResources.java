package dev.bulwark.dispatcher.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the dispatcher talks to in tests besides the shared Kafka and Redis: WireMock for the CISO Assistant API
 * (third party) and for the suite services and issuer (not runnable here yet), and a real S3-compatible server: the
 * one {@code deploy/local/infra.sh up s3} starts for a local run (S3Proxy, filesystem backend, bucket
 * {@code bulwark-attachments}), in a state directory of the tests' own ({@code target/local-state}) on a free port,
 * with the settings infra.sh writes for run.sh to hand to the dispatcher.
 * Topics, group and Redis keys are unique per run, so runs can share the infrastructure.
 */
public class DispatcherTestResources implements QuarkusTestResourceLifecycleManager {

    /** The largest S3 object the tests' dispatcher reads. */
    public static final int S3_MAX_OBJECT_SIZE = 64 * 1024;

    /** infra.sh's settings for the dispatcher and the keys they stand for. */
    private static final Map<String, String> S3_SETTINGS = Map.of(
            "BULWARK_DISPATCHER_S3_ENDPOINT", "bulwark.dispatcher.s3.endpoint",
            "BULWARK_DISPATCHER_S3_ACCESS_KEY", "bulwark.dispatcher.s3.access-key",
            "BULWARK_DISPATCHER_S3_SECRET_KEY", "bulwark.dispatcher.s3.secret-key",
            "BULWARK_DISPATCHER_S3_BUCKETS", "bulwark.dispatcher.s3.buckets");

    private static final Path ROOT = Path.of(System.getProperty("bulwark.root", "..")).toAbsolutePath().normalize();
    private static final Path STATE = Path.of("target", "local-state").toAbsolutePath();

    private WireMockServer ciso;
    private WireMockServer suite;
    private boolean s3Started;

    @Override
    public Map<String, String> start() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ciso = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        ciso.start();
        suite = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        suite.start();

        Map<String, String> config = new HashMap<>();
        config.put("bulwark.dispatcher.topics", "test-observation-" + run);
        config.put("bulwark.dispatcher.group-id", "test-dispatcher-" + run);
        config.put("bulwark.dispatcher.errors-topic", "test-errors-" + run);
        config.put("bulwark.dispatcher.idempotency.key-prefix", "bulwark:test:" + run + ":done:");
        config.put("bulwark.dispatcher.grc.api-url", ciso.baseUrl() + "/api");
        config.put("bulwark.dispatcher.grc.token", "test-pat");
        config.putAll(startLocalS3());
        config.put("bulwark.dispatcher.s3.max-object-size", Integer.toString(S3_MAX_OBJECT_SIZE));
        config.put("bulwark.dispatcher.suite.issuer-url", suite.baseUrl());
        config.put("bulwark.dispatcher.suite.workflow-url", suite.baseUrl());
        config.put("bulwark.dispatcher.suite.backbone-url", suite.baseUrl());
        config.put("bulwark.dispatcher.suite.relay-url", suite.baseUrl());
        config.put("bulwark.dispatcher.suite.client-id", "dispatcher-test");
        config.put("bulwark.dispatcher.suite.client-secret", "dispatcher-test-secret");
        config.put("bulwark.dispatcher.retry.max-attempts", "4");
        config.put("bulwark.dispatcher.retry.initial-backoff", "PT0.1S");
        config.put("bulwark.dispatcher.retry.max-backoff", "PT0.4S");
        config.put("bulwark.dispatcher.retry.max-retry-after", "PT3S");
        config.put("bulwark.dispatcher.grc.read-timeout", "PT2S");
        // Failures are provoked on purpose here; the breaker must not turn one test's failures into another's.
        config.put("bulwark.dispatcher.circuit-breaker.request-volume-threshold", "1000");
        return config;
    }

    /** {@code infra.sh up s3} on a free port; the dispatcher gets what infra.sh wrote for run.sh to pass it. */
    private Map<String, String> startLocalS3() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        infra(port, "down", "s3"); // a server left by a test run that was killed
        infra(port, "up", "s3");
        s3Started = true;
        Map<String, String> config = new HashMap<>();
        try {
            for (String line : Files.readAllLines(STATE.resolve("s3proxy/dispatcher.env"))) {
                int eq = line.indexOf('=');
                String key = eq > 0 ? S3_SETTINGS.get(line.substring(0, eq)) : null;
                if (key != null) {
                    config.put(key, line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (config.size() != S3_SETTINGS.size()) {
            throw new IllegalStateException("infra.sh wrote " + config.keySet() + ", not every one of "
                    + S3_SETTINGS.keySet());
        }
        return config;
    }

    private static void infra(int port, String... args) {
        Path log = STATE.resolve("infra-test.log");
        try {
            Files.createDirectories(STATE);
            ProcessBuilder builder = new ProcessBuilder(
                    List.of("bash", ROOT.resolve("deploy/local/infra.sh").toString(), args[0], args[1]))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("BULWARK_LOCAL_STATE", STATE.toString());
            builder.environment().put("BULWARK_S3_PORT", Integer.toString(port));
            builder.environment().put("BULWARK_INFRA_TIMEOUT", "240");
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("infra.sh " + String.join(" ", args) + " took over 10 min; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("infra.sh " + String.join(" ", args) + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (ciso != null) {
            ciso.stop();
        }
        if (suite != null) {
            suite.stop();
        }
        if (s3Started) {
            infra(0, "down", "s3");
        }
    }
}
