package dev.bulwark.worker.container.config;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.bulwark.worker.config.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The Docker engine, through docker-java and its HttpClient 5 transport. The address is
 * {@code bulwark.worker.container.docker-host}, else {@code DOCKER_HOST}, else the local socket. Two clients: one
 * with a response timeout for short calls, one without for waiting on a container's exit (bounded by the task).
 */
@ApplicationScoped
public class DockerEngine implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private final URI host;
    private final DockerClient control;
    private final DockerClient waiting;

    @Inject
    DockerEngine(WorkerConfig config) {
        this(config.container().dockerHost());
    }

    public DockerEngine(Optional<String> dockerHost) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        dockerHost.ifPresent(builder::withDockerHost);
        DockerClientConfig config = builder.build();
        this.host = config.getDockerHost();
        this.control = client(config, RESPONSE_TIMEOUT);
        this.waiting = client(config, null);
    }

    private static DockerClient client(DockerClientConfig config, Duration responseTimeout) {
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    /** Where the engine is expected. */
    public URI host() {
        return host;
    }

    /** For calls that answer at once: create, start, kill, remove, logs, list. */
    public DockerClient control() {
        return control;
    }

    /** For waiting on a container's exit, which may take as long as the task's timeout. */
    public DockerClient waiting() {
        return waiting;
    }

    /** Pings the engine: up with its version, or down with the reason. */
    public Probe probe() {
        try {
            control.pingCmd().exec();
            Version version = control.versionCmd().exec();
            return new Probe(true, version.getVersion() + " (API " + version.getApiVersion() + ")");
        } catch (RuntimeException e) {
            return new Probe(false, describe(e));
        }
    }

    /** What an engine error means, without a stack trace. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + message;
    }

    @PreDestroy
    @Override
    public void close() {
        try {
            control.close();
            waiting.close();
        } catch (IOException e) {
            // closing idle connections; nothing to recover
        }
    }

    /** Result of {@link #probe()}: up, and the version or the failure. */
    public record Probe(boolean up, String detail) {
    }
}
