package dev.bulwark.worker.container.domain;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.bulwark.worker.container.config.DockerEngine;
import dev.bulwark.worker.identity.domain.AgentIdentity;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * At start, removes the containers labelled with this agent's name by an earlier instance, and that instance's
 * secret files: what a crashed agent left behind. Containers of other agents on the same engine (other names) are left alone.
 */
@ApplicationScoped
public class ContainerReaper {

    private final DockerEngine engine;
    private final AgentIdentity identity;
    private final SecretFiles secrets;

    public ContainerReaper(DockerEngine engine, AgentIdentity identity, SecretFiles secrets) {
        this.engine = engine;
        this.identity = identity;
        this.secrets = secrets;
    }

    /** Runs before the claim loop starts (lower priority values observe first). */
    void onStart(@Observes @Priority(10) StartupEvent event) {
        secrets.clear();
        DockerEngine.Probe probe = engine.probe();
        if (!probe.up()) {
            Log.warnf("No Docker engine at %s (%s): container tasks will fail until one answers", engine.host(),
                    probe.detail());
            return;
        }
        Log.infof("Docker engine %s at %s", probe.detail(), engine.host());
        int removed = removeOrphans();
        if (removed > 0) {
            Log.infof("Removed %d container(s) left behind by an earlier instance of agent %s", removed, identity.name());
        }
    }

    /** Removes this agent's containers that another instance created; returns how many. */
    public int removeOrphans() {
        List<Container> labelled = engine.control().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(ContainerSpecs.LABEL_AGENT + "=" + identity.name())).exec();
        int removed = 0;
        for (Container container : labelled) {
            String instance = container.getLabels().get(ContainerSpecs.LABEL_INSTANCE);
            if (identity.instance().equals(instance)) {
                continue;
            }
            try {
                engine.control().removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed++;
            } catch (NotFoundException e) {
                Log.debugf("orphan container %s was already gone", container.getId());
            }
        }
        return removed;
    }
}
