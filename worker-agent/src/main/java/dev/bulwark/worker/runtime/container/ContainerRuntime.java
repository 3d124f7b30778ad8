package dev.bulwark.worker.runtime.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import dev.bulwark.worker.config.AgentIdentity;
import dev.bulwark.worker.config.WorkerConfig;
import dev.bulwark.worker.queue.ClaimedTask;
import dev.bulwark.worker.runtime.ActionFailed;
import dev.bulwark.worker.runtime.ActionResult;
import dev.bulwark.worker.runtime.AppRuntime;
import dev.bulwark.worker.runtime.RunControl;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a container app: one container per task attempt from the task's image (never pulled), with the action and
 * its parameters in the environment, resource limits, a read-only root, no capabilities, no network unless the
 * task asks for one. Its stdout is the result (JSON, else text), its stderr the log, a non-zero exit a failure. The
 * container is killed on cancellation (timeout, lost lease, shutdown) and always removed.
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

    private final DockerEngine engine;
    private final AgentIdentity identity;
    private final ContainerLimits limits;
    private final ObjectMapper json;

    @Inject
    ContainerRuntime(DockerEngine engine, AgentIdentity identity, WorkerConfig config, ObjectMapper json) {
        this(engine, identity, ContainerLimits.from(config.container()), json);
    }

    public ContainerRuntime(DockerEngine engine, AgentIdentity identity, ContainerLimits limits, ObjectMapper json) {
        this.engine = engine;
        this.identity = identity;
        this.limits = limits;
        this.json = json;
    }

    @Override
    public ActionResult run(ClaimedTask task, RunControl control) throws ActionFailed, InterruptedException {
        String id = create(task);
        try {
            control.onCancel(() -> kill(id, task));
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

    private String create(ClaimedTask task) throws ActionFailed {
        List<String> env = new ArrayList<>(List.of(
                "BULWARK_ACTION=" + task.action(),
                "BULWARK_PARAMETERS=" + (task.parameters() == null ? "{}" : task.parameters().toString()),
                "BULWARK_EXECUTION_ID=" + task.executionId(),
                "BULWARK_TASK_ID=" + task.taskId()));
        if (task.credentials() != null && !task.credentials().isNull()) {
            env.add("BULWARK_CREDENTIALS=" + task.credentials());
        }
        if (task.network() && task.executionToken() != null) {
            env.add("BULWARK_EXECUTION_TOKEN=" + task.executionToken());
        }
        HostConfig host = HostConfig.newHostConfig()
                .withMemory(limits.memoryBytes())
                .withMemorySwap(limits.memoryBytes())
                .withNanoCPUs((long) (limits.cpus() * 1_000_000_000L))
                .withPidsLimit(limits.pids())
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,size=16m"))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withNetworkMode(task.network() ? limits.network() : "none");
        try {
            String id = engine.control().createContainerCmd(task.image())
                    .withName("bulwark-task-" + task.taskId() + "-" + task.attempt())
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
            throw new ActionFailed("no Docker engine reachable at " + engine.host() + " ("
                    + DockerEngine.describe(e) + "): this agent runs in-process apps only");
        }
    }

    private void start(String id, ClaimedTask task) throws ActionFailed {
        try {
            engine.control().startContainerCmd(id).exec();
        } catch (RuntimeException e) {
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

    private void kill(String id, ClaimedTask task) {
        try {
            engine.control().killContainerCmd(id).exec();
            Log.debugf("task %s execution %s: container %s killed", task.taskId(), task.executionId(), id);
        } catch (RuntimeException e) {
            Log.debugf("task %s: killing container %s: %s", task.taskId(), id, DockerEngine.describe(e));
        }
    }

    private void remove(String id, ClaimedTask task) {
        boolean interrupted = Thread.interrupted();
        try {
            engine.control().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            Log.debugf("container %s already removed", id);
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
