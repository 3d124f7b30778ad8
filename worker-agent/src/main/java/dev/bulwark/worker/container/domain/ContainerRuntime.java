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
import com.github.dockerjava.api.model.Frame;
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
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a container app: one container per task attempt from the task's image (never pulled), as
 * {@link ContainerSpecs} makes it (action and parameters in the environment, secrets as read-only files, limits,
 * isolation). Its stdout is the result (JSON, else text), its stderr the log, a non-zero exit a failure. The
 * container is removed (killed first) on cancellation (timeout, lost lease, shutdown), and always at the end.
 */
@ApplicationScoped
public class ContainerRuntime implements AppRuntime {

    private static final long LOGS_TIMEOUT_SECONDS = 10;
    /** How long a removal another thread has begun is waited for. */
    private static final Duration REMOVAL_WAIT = Duration.ofSeconds(30);

    private final DockerEngine engine;
    private final ContainerSpecs specs;
    private final ContainerLimits limits;
    private final ObjectMapper json;

    @Inject
    ContainerRuntime(DockerEngine engine, AgentIdentity identity, WorkerConfig config, SecretFiles secrets,
                     ObjectMapper json) {
        this(engine, identity, ContainerLimits.from(config.container()), secrets, json);
    }

    public ContainerRuntime(DockerEngine engine, AgentIdentity identity, ContainerLimits limits, SecretFiles secrets,
                            ObjectMapper json) {
        this.engine = engine;
        this.specs = new ContainerSpecs(identity, limits, secrets, json);
        this.limits = limits;
        this.json = json;
    }

    @Override
    public ActionResult run(ClaimedTask task, RunControl control) throws ActionFailed, InterruptedException {
        try (SecretFiles.Staged staged = specs.stage(task)) {
            return run(task, staged, control);
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
            ContainerOutput output = logs(id);
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
        ContainerSpecs.Spec spec = specs.spec(task, staged);
        try {
            String id = engine.control().createContainerCmd(task.image())
                    .withName(spec.name())
                    .withLabels(spec.labels())
                    .withEnv(spec.env())
                    .withUser(spec.user())
                    .withHostConfig(spec.host())
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
                remove(spec.name(), task);   // it may have been created all the same
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

    private ContainerOutput logs(String id) throws InterruptedException, ActionFailed {
        ContainerOutput output = new ContainerOutput(limits.maxOutputBytes());
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
}
