package dev.bulwark.worker.container.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.ActionResult;
import dev.bulwark.worker.action.domain.AppRuntime;
import dev.bulwark.worker.action.domain.RunControl;
import dev.bulwark.worker.config.WorkerConfig;
import dev.bulwark.worker.container.config.DockerEngine;
import dev.bulwark.worker.identity.domain.AgentIdentity;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a container app: one container per task attempt from the task's image (never pulled), with the action and
 * its parameters in the environment, its secrets as read-only files ({@link SecretFiles}), resource limits, a
 * read-only root, no capabilities, no network unless the task asks for one. Its stdout is the result (JSON, else
 * text), its stderr the log, a non-zero exit a failure. The container is removed (killed first) on cancellation
 * (timeout, lost lease, shutdown), and always at the end.
 */
@ApplicationScoped
public class ContainerRuntime implements AppRuntime {

    /** Label: the name of the agent that started the container. */
    public static final String LABEL_AGENT = "dev.bulwark.worker.agent";
    /** Label: the instance (process) of that agent. */
    public static final String LABEL_INSTANCE = "dev.bulwark.worker.instance";
    /** Label: the task and attempt the container runs. */
    public static final String LABEL_TASK = "dev.bulwark.worker.task";

    private static final long LOGS_TIMEOUT_SECONDS = 10;
    /** How long a removal another thread has begun is waited for. */
    private static final Duration REMOVAL_WAIT = Duration.ofSeconds(30);
    /** The credential's fields (a JSON object), in {@value SecretFiles#MOUNT_DIR}. */
    static final String CREDENTIALS_FILE = "credentials.json";
    /** The execution token, for apps with a network. */
    static final String TOKEN_FILE = "execution-token";
    /** The variable that names each file's path in the container. */
    private static final Map<String, String> FILE_VARIABLES = Map.of(CREDENTIALS_FILE, "BULWARK_CREDENTIALS_FILE",
            TOKEN_FILE, "BULWARK_EXECUTION_TOKEN_FILE");

    private final DockerEngine engine;
    private final AgentIdentity identity;
    private final ContainerLimits limits;
    private final SecretFiles secrets;
    private final ObjectMapper json;

    @Inject
    ContainerRuntime(DockerEngine engine, AgentIdentity identity, WorkerConfig config, SecretFiles secrets,
                     ObjectMapper json) {
        this(engine, identity, ContainerLimits.from(config.container()), secrets, json);
    }

    public ContainerRuntime(DockerEngine engine, AgentIdentity identity, ContainerLimits limits, SecretFiles secrets,
                            ObjectMapper json) {
        this.engine = engine;
        this.identity = identity;
        this.limits = limits;
        this.secrets = secrets;
        this.json = json;
    }

    @Override
    public ActionResult run(ClaimedTask task, RunControl control) throws ActionFailed, InterruptedException {
        try (SecretFiles.Staged staged = stage(task)) {
            return run(task, staged, control);
        }
    }

    private SecretFiles.Staged stage(ClaimedTask task) throws ActionFailed {
        Map<String, String> files = new LinkedHashMap<>();
        if (task.credentials() != null) {
            try {
                files.put(CREDENTIALS_FILE, json.writeValueAsString(task.credentials()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a map of strings is always JSON", e);
            }
        }
        if (task.network() && task.executionToken() != null) {
            files.put(TOKEN_FILE, task.executionToken());
        }
        try {
            return secrets.stage(task.taskId().toString(), task.attempt(), files);
        } catch (IOException e) {
            throw new ActionFailed("the agent could not write the app's secret files in " + secrets.root() + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private ActionResult run(ClaimedTask task, SecretFiles.Staged staged, RunControl control)
            throws ActionFailed, InterruptedException {
        String id = create(task, staged);
        try {
            // Removing (forced) kills the container and leaves nothing behind even if this thread does not return.
            control.onCancel(() -> remove(id, task));
            start(id, task);
            int exit = awaitExit(id);
            Output output = logs(id);
            if (exit != 0) {
                throw new ActionFailed(exitReason(id, exit), output.stderr());
            }
            if (output.stdoutTruncated()) {
                throw new ActionFailed("result larger than " + limits.maxOutputBytes() + " bytes", output.stderr());
            }
            return new ActionResult(result(output.stdout()), output.stderr().isEmpty() ? null : output.stderr());
        } finally {
            remove(id, task);
        }
    }

    private String create(ClaimedTask task, SecretFiles.Staged staged) throws ActionFailed, InterruptedException {
        List<String> env = new ArrayList<>(List.of(
                "BULWARK_ACTION=" + task.action(),
                "BULWARK_PARAMETERS=" + (task.parameters() == null ? "{}" : task.parameters().toString()),
                "BULWARK_EXECUTION_ID=" + task.executionId(),
                "BULWARK_TASK_ID=" + task.taskId()));
        List<Bind> binds = new ArrayList<>();
        staged.files().forEach((name, onHost) -> {
            binds.add(new Bind(onHost.toString(), new Volume(SecretFiles.mounted(name)), AccessMode.ro));
            env.add(FILE_VARIABLES.get(name) + "=" + SecretFiles.mounted(name));
        });
        HostConfig host = HostConfig.newHostConfig()
                .withMemory(limits.memoryBytes())
                .withMemorySwap(limits.memoryBytes())
                .withNanoCPUs((long) (limits.cpus() * 1_000_000_000L))
                .withPidsLimit(limits.pids())
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,size=16m"))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withBinds(binds)
                .withNetworkMode(task.network() ? limits.network() : "none");
        String name = "bulwark-task-" + task.taskId() + "-" + task.attempt();
        try {
            String id = engine.control().createContainerCmd(task.image())
                    .withName(name)
                    .withLabels(Map.of(LABEL_AGENT, identity.name(), LABEL_INSTANCE, identity.instance(),
                            LABEL_TASK, task.taskId() + "/" + task.attempt()))
                    .withEnv(env)
                    .withUser(limits.user())
                    .withHostConfig(host)
                    .exec().getId();
            Log.debugf("task %s execution %s: container %s created from %s", task.taskId(), task.executionId(),
                    id, task.image());
            return id;
        } catch (NotFoundException e) {
            throw new ActionFailed("image " + task.image() + " is not on the Docker engine at " + engine.host()
                    + " (agents never pull: load or build it there)");
        } catch (DockerException e) {
            throw new ActionFailed("the Docker engine refused to create the container of " + task.image() + ": "
                    + DockerEngine.describe(e));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                remove(name, task);   // it may have been created all the same
                throw new InterruptedException("cancelled while creating the container of " + task.image());
            }
            throw new ActionFailed("no Docker engine reachable at " + engine.host() + " ("
                    + DockerEngine.describe(e) + "): this agent runs in-process apps only");
        }
    }

    private void start(String id, ClaimedTask task) throws ActionFailed, InterruptedException {
        try {
            engine.control().startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled while starting container " + id);
            }
            throw new ActionFailed("container of " + task.image() + " did not start: " + DockerEngine.describe(e));
        }
    }

    private int awaitExit(String id) throws InterruptedException, ActionFailed {
        try (WaitContainerResultCallback wait = engine.waiting().waitContainerCmd(id)
                .exec(new WaitContainerResultCallback())) {
            wait.awaitCompletion();
            return wait.awaitStatusCode(1, TimeUnit.SECONDS);
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled while waiting for container " + id);
            }
            throw new ActionFailed("waiting for the container failed: " + DockerEngine.describe(e));
        }
    }

    private String exitReason(String id, int exit) {
        try {
            InspectContainerResponse.ContainerState state = engine.control().inspectContainerCmd(id).exec().getState();
            if (Boolean.TRUE.equals(state.getOOMKilled())) {
                return "container killed: out of memory (limit " + limits.memoryBytes() / (1024 * 1024) + " MiB)";
            }
        } catch (RuntimeException e) {
            Log.debugf("inspecting container %s failed: %s", id, DockerEngine.describe(e));
        }
        return "container exited with code " + exit;
    }

    private Output logs(String id) throws InterruptedException, ActionFailed {
        Output output = new Output(limits.maxOutputBytes());
        try (ResultCallback.Adapter<Frame> reading = engine.control().logContainerCmd(id)
                .withStdOut(true).withStdErr(true).withFollowStream(false)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        output.add(frame);
                    }
                })) {
            if (!reading.awaitCompletion(LOGS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new ActionFailed("reading the container's output took longer than " + LOGS_TIMEOUT_SECONDS + " s");
            }
        } catch (IOException | RuntimeException e) {
            throw new ActionFailed("reading the container's output failed: " + DockerEngine.describe(e));
        }
        return output;
    }

    private JsonNode result(String stdout) {
        String text = stdout.strip();
        if (text.isEmpty()) {
            return NullNode.getInstance();
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    private void remove(String id, ClaimedTask task) {
        boolean interrupted = Thread.interrupted();
        Instant deadline = Instant.now().plus(REMOVAL_WAIT);
        try {
            // A cancellation and the run's own clean-up may remove at the same time, and the cancellation may
            // interrupt a removal under way: whoever is refused asks again until the engine reports the container
            // gone, so neither returns while it still exists.
            while (true) {
                try {
                    engine.control().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
                    return;
                } catch (NotFoundException e) {
                    Log.debugf("container %s removed", id);
                    return;
                } catch (ConflictException | CancellationException e) {
                    // CancellationException: the cancellation interrupted this very request; ask again.
                    interrupted |= Thread.interrupted() || e instanceof CancellationException;
                    if (Instant.now().isAfter(deadline)) {
                        throw e;
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException again) {
                        interrupted = true;
                    }
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("task %s execution %s: container %s could not be removed (%s); the next start of this agent "
                    + "removes it", task.taskId(), task.executionId(), id, DockerEngine.describe(e));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** stdout and stderr of a container, each capped. */
    private static final class Output {

        private final int cap;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private boolean stdoutTruncated;
        private boolean stderrTruncated;

        Output(int cap) {
            this.cap = cap;
        }

        synchronized void add(Frame frame) {
            switch (frame.getStreamType()) {
                case STDOUT, RAW -> stdoutTruncated |= append(stdout, frame.getPayload());
                case STDERR -> stderrTruncated |= append(stderr, frame.getPayload());
                default -> { }
            }
        }

        private boolean append(ByteArrayOutputStream target, byte[] payload) {
            int room = cap - target.size();
            target.write(payload, 0, Math.max(0, Math.min(room, payload.length)));
            return payload.length > room;
        }

        synchronized boolean stdoutTruncated() {
            return stdoutTruncated;
        }

        synchronized String stdout() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        synchronized String stderr() {
            return stderr.toString(StandardCharsets.UTF_8) + (stderrTruncated ? "\n[log truncated]" : "");
        }
    }
}
