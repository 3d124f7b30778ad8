package dev.bulwark.worker.container.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.ActionResult;
import dev.bulwark.worker.action.domain.RunControl;
import dev.bulwark.worker.action.domain.RunControl.Cancel;
import dev.bulwark.worker.container.api.DockerEngineHealthCheck;
import dev.bulwark.worker.container.config.DockerEngine;
import dev.bulwark.worker.identity.domain.AgentIdentity;
import dev.bulwark.worker.support.ExampleApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container apps on the real local Docker engine, with the example app built FROM scratch. */
class ContainerRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContainerLimits LIMITS = new ContainerLimits(64L * 1024 * 1024, 0.5, 32, "65534:65534",
            "bridge", 4096);

    private static DockerEngine engine;
    private static String image;

    private final AgentIdentity identity = new AgentIdentity("runtime-test-" + UUID.randomUUID(), UUID.randomUUID().toString());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    @TempDir
    Path secretsDir;
    private SecretFiles secrets;

    @BeforeEach
    void secrets() {
        secrets = new SecretFiles(secretsDir, identity, LIMITS.user());
    }

    @BeforeAll
    static void engine() {
        engine = ExampleApp.requireEngine();
        image = ExampleApp.build(engine);
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(ExampleApp.leftBehind(engine)).isEmpty();
        engine.close();
    }

    @Test
    void theActionAndParametersGoInAndStdoutComesBackAsJson() throws Exception {
        ActionResult result = runtime().run(task("hello", "{\"name\":\"Ada\"}"), control(30));
        assertThat(result.output()).isEqualTo(JSON.readTree("{\"greeting\":\"hello, Ada\"}"));
        assertThat(result.log()).isEqualTo("greeting Ada\n");
        JsonNode parameters = JSON.readTree("{\"list\":[1,\"two\",{\"three\":3}],\"text\":\"a \\\"quoted\\\" word\"}");
        assertThat(runtime().run(task("echo", parameters.toString()), control(30)).output()).isEqualTo(parameters);
        assertThat(containersOf(identity)).isEmpty();
    }

    @Test
    void theAppRunsUnprivilegedWithoutNetworkOnAReadOnlyRoot() throws Exception {
        JsonNode probe = runtime().run(task("probe", "{}"), control(30)).output();
        assertThat(probe.get("uid").asInt()).isEqualTo(65534);
        assertThat(probe.get("interfaces").asText().strip()).isEqualTo("lo");
        assertThat(probe.get("root").asText()).isEqualTo("read-only");
    }

    @Test
    void theContainerCarriesTheLimitsAndLabels() throws Exception {
        RunControl control = control(300);
        ClaimedTask task = task("sleep", "{\"seconds\":120}");
        Future<?> running = timer.submit(() -> {
            control.bind();
            try {
                return runtime().run(task, control);
            } finally {
                control.release();
            }
        });
        try {
            Container container = await().atMost(Duration.ofSeconds(30)).until(() -> containersOf(identity),
                    list -> list.size() == 1 && "running".equals(list.get(0).getState())).get(0);
            HostConfig host = engine.control().inspectContainerCmd(container.getId()).exec().getHostConfig();
            assertThat(host.getMemory()).isEqualTo(LIMITS.memoryBytes());
            assertThat(host.getMemorySwap()).isEqualTo(LIMITS.memoryBytes());
            assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
            assertThat(host.getPidsLimit()).isEqualTo(32L);
            assertThat(host.getReadonlyRootfs()).isTrue();
            assertThat(host.getNetworkMode()).isEqualTo("none");
            assertThat(host.getSecurityOpts()).contains("no-new-privileges");
            assertThat(container.getLabels()).containsEntry(ContainerSpecs.LABEL_INSTANCE, identity.instance())
                    .containsEntry(ContainerSpecs.LABEL_TASK, task.taskId() + "/1");
            assertThat(container.getNames()).containsExactly("/bulwark-task-" + task.taskId() + "-1");
        } finally {
            control.cancel(Cancel.SHUTDOWN);
        }
        assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(InterruptedException.class);
        assertThat(containersOf(identity)).isEmpty();
    }

    @Test
    void credentialsReachTheAppAsAReadOnlyFileThatIsGoneAfterTheTask() throws Exception {
        Map<String, String> credentials = Map.of("username", "ada", "password", "pw-" + UUID.randomUUID());
        ActionResult result = runtime().run(task("credentials", "{}", credentials, false), control(30));
        assertThat(result.output().get("credentials")).isEqualTo(JSON.valueToTree(credentials));
        assertThat(result.output().get("file").asText()).isEqualTo("-r-------- 65534");
        assertThat(result.output().get("environment").asText()).doesNotContain("pw-").contains(
                "BULWARK_CREDENTIALS_FILE=/run/bulwark/credentials.json");
        try (var left = Files.list(secrets.root())) {
            assertThat(left).as("secret files left behind").isEmpty();
        }
    }

    @Test
    void dockerInspectShowsNoSecretWhileTheAppRuns() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        String token = "exec-token-" + UUID.randomUUID();
        ClaimedTask task = new ClaimedTask(UUID.randomUUID(), 1, UUID.randomUUID(), UUID.randomUUID(), "a-1", "example",
                "sleep", image, true, JSON.readTree("{\"seconds\":120}"), Map.of("password", password), 30,
                Instant.now().plusSeconds(30), token);
        RunControl control = control(300);
        Future<?> running = timer.submit(() -> {
            control.bind();
            try {
                return runtime().run(task, control);
            } finally {
                control.release();
            }
        });
        try {
            Container container = await().atMost(Duration.ofSeconds(30)).until(() -> containersOf(identity),
                    list -> list.size() == 1 && "running".equals(list.get(0).getState())).get(0);
            InspectContainerResponse inspected = engine.control().inspectContainerCmd(container.getId()).exec();
            String everything = JSON.writeValueAsString(inspected);
            assertThat(everything).doesNotContain(password).doesNotContain(token);
            assertThat(inspected.getConfig().getEnv()).contains(
                    "BULWARK_CREDENTIALS_FILE=/run/bulwark/credentials.json",
                    "BULWARK_EXECUTION_TOKEN_FILE=/run/bulwark/execution-token");
            assertThat(inspected.getHostConfig().getBinds()).allSatisfy(bind -> {
                assertThat(bind.getAccessMode()).isEqualTo(AccessMode.ro);
                assertThat(Path.of(bind.getPath())).startsWith(secrets.root());
            });
            try (var staged = Files.list(secrets.root())) {
                Path dir = staged.findFirst().orElseThrow();
                assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            }
        } finally {
            control.cancel(Cancel.SHUTDOWN);
        }
        assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(InterruptedException.class);
        assertThat(containersOf(identity)).isEmpty();
        try (var left = Files.list(secrets.root())) {
            assertThat(left).as("secret files left behind").isEmpty();
        }
    }

    @Test
    void aNonZeroExitFailsWithStderrAsTheLog() {
        assertThatThrownBy(() -> runtime().run(task("fail", "{\"reason\":\"bad input\"}"), control(30)))
                .isInstanceOf(ActionFailed.class).hasMessage("container exited with code 2")
                .satisfies(e -> assertThat(((ActionFailed) e).log()).isEqualTo("failing on purpose: bad input\n"));
        assertThat(containersOf(identity)).isEmpty();
    }

    @Test
    void aCancelledContainerIsKilledAndRemoved() {
        RunControl control = control(300);
        Instant start = Instant.now();
        timer.schedule(() -> control.cancel(Cancel.TIMEOUT), 1500, TimeUnit.MILLISECONDS);
        control.bind();
        try {
            assertThatThrownBy(() -> runtime().run(task("sleep", "{\"seconds\":120}"), control))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            control.release();
        }
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(containersOf(identity)).isEmpty();
    }

    @Test
    void aMissingImageFailsWithoutPulling() {
        ClaimedTask task = new ClaimedTask(UUID.randomUUID(), 1, UUID.randomUUID(), UUID.randomUUID(), "a-1", "ghost",
                "run", "bulwark-example/not-built:never", false, JSON.createObjectNode(), null, 30,
                Instant.now().plusSeconds(30), null);
        assertThatThrownBy(() -> runtime().run(task, control(30))).isInstanceOf(ActionFailed.class)
                .hasMessageContaining("image bulwark-example/not-built:never is not on the Docker engine")
                .hasMessageContaining("agents never pull");
    }

    @Test
    void aResultOverTheCapFails() {
        String big = "{\"text\":\"" + "x".repeat(5000) + "\"}";
        assertThatThrownBy(() -> runtime().run(task("echo", big), control(30))).isInstanceOf(ActionFailed.class)
                .hasMessage("result larger than 4096 bytes");
    }

    @Test
    void withoutAnEngineContainerTasksFailWithTheReasonAndHealthIsDown() {
        try (DockerEngine absent = new DockerEngine(Optional.of("unix:///nonexistent/bulwark/docker.sock"))) {
            ContainerRuntime runtime = new ContainerRuntime(absent, identity, LIMITS, secrets, JSON);
            assertThatThrownBy(() -> runtime.run(task("hello", "{}"), control(30))).isInstanceOf(ActionFailed.class)
                    .hasMessageStartingWith("no Docker engine reachable at unix:///nonexistent/bulwark/docker.sock")
                    .hasMessageEndingWith("this agent runs in-process apps only");
            HealthCheckResponse health = new DockerEngineHealthCheck(absent).call();
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(health.getData()).get().satisfies(data ->
                    assertThat(data).containsEntry("host", "unix:///nonexistent/bulwark/docker.sock").containsKey("error"));
        }
        assertThat(new DockerEngineHealthCheck(engine).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void atStartAnAgentRemovesWhatItsEarlierInstanceLeftButNotOtherAgentsContainers() {
        AgentIdentity earlier = new AgentIdentity(identity.name(), UUID.randomUUID().toString());
        AgentIdentity other = new AgentIdentity("other-" + UUID.randomUUID(), UUID.randomUUID().toString());
        String orphan = createIdle(earlier);
        String current = createIdle(identity);
        String foreign = createIdle(other);
        try {
            assertThat(new ContainerReaper(engine, identity, secrets).removeOrphans()).isEqualTo(1);
            assertThat(containersOf(identity)).extracting(Container::getId).containsExactly(current);
            assertThat(containersOf(other)).extracting(Container::getId).containsExactly(foreign);
            assertThat(containersOf(earlier)).extracting(Container::getId).doesNotContain(orphan);
        } finally {
            for (String id : List.of(current, foreign)) {
                engine.control().removeContainerCmd(id).withForce(true).exec();
            }
        }
    }

    private String createIdle(AgentIdentity owner) {
        return engine.control().createContainerCmd(image)
                .withLabels(Map.of(ContainerSpecs.LABEL_AGENT, owner.name(), ContainerSpecs.LABEL_INSTANCE,
                        owner.instance()))
                .exec().getId();
    }

    private List<Container> containersOf(AgentIdentity owner) {
        return engine.control().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerSpecs.LABEL_AGENT, owner.name())).exec();
    }

    private ContainerRuntime runtime() {
        return new ContainerRuntime(engine, identity, LIMITS, secrets, JSON);
    }

    private static RunControl control(int seconds) {
        return new RunControl(Instant.now().plusSeconds(seconds));
    }

    private static ClaimedTask task(String action, String parameters) throws Exception {
        return task(action, parameters, null, false);
    }

    private static ClaimedTask task(String action, String parameters, Map<String, String> credentials, boolean network)
            throws Exception {
        return new ClaimedTask(UUID.randomUUID(), 1, UUID.randomUUID(), UUID.randomUUID(), "a-1", "example", action,
                image, network, JSON.readTree(parameters), credentials, 30, Instant.now().plusSeconds(30),
                network ? "exec-token" : null);
    }
}
