package dev.bulwark.worker.task.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.RunControl;
import dev.bulwark.worker.builtin.domain.ToolsApp;
import dev.bulwark.worker.container.config.DockerEngine;
import dev.bulwark.worker.container.domain.ContainerLimits;
import dev.bulwark.worker.container.domain.ContainerRuntime;
import dev.bulwark.worker.container.domain.SecretFiles;
import dev.bulwark.worker.identity.domain.AgentIdentity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runtime is chosen by the app's kind: an image means a container, otherwise a built-in app by name. */
class RuntimesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerEngine absent = new DockerEngine(Optional.of("unix:///nonexistent/bulwark/docker.sock"));
    private final AgentIdentity identity = new AgentIdentity("t", "i");
    private final Runtimes runtimes = new Runtimes(new ContainerRuntime(absent, identity,
            new ContainerLimits(1 << 26, 1, 16, "65534:65534", "bridge", 1024),
            new SecretFiles(Path.of(System.getProperty("java.io.tmpdir"), "bulwark-runtimes-test"), identity,
                    "65534:65534"), JSON), Map.of("tools", new ToolsApp(JSON)));

    @AfterEach
    void close() {
        absent.close();
    }

    @Test
    void aTaskWithAnImageGoesToTheContainerRuntimeEvenWithABuiltInName() {
        assertThatThrownBy(() -> runtimes.run(task("tools", "echo", "some/image:1"), control()))
                .isInstanceOf(ActionFailed.class).hasMessageStartingWith("no Docker engine reachable");
    }

    @Test
    void aTaskWithoutAnImageRunsTheBuiltInAppOfItsName() throws Exception {
        assertThat(runtimes.run(task("tools", "echo", null), control()).output().asText()).isEqualTo("hi");
    }

    @Test
    void anUnknownAppWithoutAnImageFailsWithTheReason() {
        assertThatThrownBy(() -> runtimes.run(task("nmap", "scan", null), control())).isInstanceOf(ActionFailed.class)
                .hasMessage("app 'nmap' has no image and is not built in (built in: tools)");
    }

    private static ClaimedTask task(String app, String action, String image) throws Exception {
        return new ClaimedTask(UUID.randomUUID(), 1, UUID.randomUUID(), UUID.randomUUID(), "a-1", app, action, image,
                false, JSON.readTree("{\"value\":\"hi\"}"), null, 30, Instant.now().plusSeconds(30), null);
    }

    private static RunControl control() {
        return new RunControl(Instant.now().plusSeconds(10));
    }
}
