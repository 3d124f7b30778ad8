package dev.bulwark.dispatcher.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * What the dispatcher talks to in tests besides the shared Kafka and Redis: WireMock for the CISO Assistant API
 * (third party) and for the suite services and issuer (not runnable here yet), and a real S3-compatible server,
 * S3Proxy from its Maven Central jar (copied to {@code target/s3proxy/} by the build) with its filesystem backend.
 * Topics, group and Redis keys are unique per run, so runs can share the infrastructure.
 */
public class DispatcherTestResources implements QuarkusTestResourceLifecycleManager {

    public static final String S3_ACCESS_KEY = "test-access";
    public static final String S3_SECRET_KEY = "test-secret";

    private WireMockServer ciso;
    private WireMockServer suite;
    private Process s3proxy;

    @Override
    public Map<String, String> start() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ciso = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        ciso.start();
        suite = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        suite.start();
        int s3Port = startS3Proxy(run);

        Map<String, String> config = new HashMap<>();
        config.put("bulwark.dispatcher.topics", "test-observation-" + run);
        config.put("bulwark.dispatcher.group-id", "test-dispatcher-" + run);
        config.put("bulwark.dispatcher.errors-topic", "test-errors-" + run);
        config.put("bulwark.dispatcher.idempotency.key-prefix", "bulwark:test:" + run + ":done:");
        config.put("bulwark.dispatcher.grc.api-url", ciso.baseUrl() + "/api");
        config.put("bulwark.dispatcher.grc.token", "test-pat");
        config.put("bulwark.dispatcher.s3.endpoint", "http://127.0.0.1:" + s3Port);
        config.put("bulwark.dispatcher.s3.access-key", S3_ACCESS_KEY);
        config.put("bulwark.dispatcher.s3.secret-key", S3_SECRET_KEY);
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

    private int startS3Proxy(String run) {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: the build copies it in process-test-resources");
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path dir = Files.createDirectories(Path.of("target", "s3proxy", "run-" + run));
            Path data = Files.createDirectories(dir.resolve("data"));
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + S3_ACCESS_KEY,
                    "s3proxy.credential=" + S3_SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                    ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            s3proxy = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", jar.toString(), "org.gaul.s3proxy.Main",
                    "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            Awaitility.await("S3Proxy listening on " + port).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!s3proxy.isAlive()) {
                            throw new IllegalStateException("S3Proxy exited; see " + dir.resolve("s3proxy.log"));
                        }
                        try (Socket socket = new Socket("127.0.0.1", port)) {
                            return true;
                        } catch (IOException notYet) {
                            return false;
                        }
                    });
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        if (s3proxy != null) {
            s3proxy.destroy();
            try {
                s3proxy.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
