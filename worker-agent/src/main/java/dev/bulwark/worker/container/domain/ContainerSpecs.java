package dev.bulwark.worker.container.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.identity.domain.AgentIdentity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a task attempt's container is made of: the action and its parameters in the environment, its secrets as
 * read-only files ({@link SecretFiles}; the environment names their paths only), resource limits, a read-only root,
 * no capabilities, no new privileges, no network unless the task asks for one, and labels naming this agent.
 */
public final class ContainerSpecs {

    /** Label: the name of the agent that started the container. */
    public static final String LABEL_AGENT = "dev.bulwark.worker.agent";
    /** Label: the instance (process) of that agent. */
    public static final String LABEL_INSTANCE = "dev.bulwark.worker.instance";
    /** Label: the task and attempt the container runs. */
    public static final String LABEL_TASK = "dev.bulwark.worker.task";

    /** The credential's fields (a JSON object), in {@value SecretFiles#MOUNT_DIR}. */
    private static final String CREDENTIALS_FILE = "credentials.json";
    /** The execution token, for apps with a network. */
    private static final String TOKEN_FILE = "execution-token";
    /** The variable that names each file's path in the container. */
    private static final Map<String, String> FILE_VARIABLES = Map.of(CREDENTIALS_FILE, "BULWARK_CREDENTIALS_FILE",
            TOKEN_FILE, "BULWARK_EXECUTION_TOKEN_FILE");

    private final AgentIdentity identity;
    private final ContainerLimits limits;
    private final SecretFiles secrets;
    private final ObjectMapper json;

    ContainerSpecs(AgentIdentity identity, ContainerLimits limits, SecretFiles secrets, ObjectMapper json) {
        this.identity = identity;
        this.limits = limits;
        this.secrets = secrets;
        this.json = json;
    }

    /** Writes the task's secret files; close the result to delete them. */
    SecretFiles.Staged stage(ClaimedTask task) throws ActionFailed {
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

    /** The container of the task, with the files {@link #stage} wrote mounted. */
    Spec spec(ClaimedTask task, SecretFiles.Staged staged) {
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
        return new Spec("bulwark-task-" + task.taskId() + "-" + task.attempt(),
                Map.of(LABEL_AGENT, identity.name(), LABEL_INSTANCE, identity.instance(),
                        LABEL_TASK, task.taskId() + "/" + task.attempt()),
                env, limits.user(), host);
    }

    /** A container to create: its name, labels, environment, user and host configuration. */
    record Spec(String name, Map<String, String> labels, List<String> env, String user, HostConfig host) {
    }
}
