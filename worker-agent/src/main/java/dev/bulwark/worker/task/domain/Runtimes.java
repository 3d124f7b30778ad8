package dev.bulwark.worker.task.domain;

import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.ActionResult;
import dev.bulwark.worker.action.domain.AppRuntime;
import dev.bulwark.worker.action.domain.RunControl;
import dev.bulwark.worker.builtin.domain.InProcessApp;
import dev.bulwark.worker.container.domain.ContainerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Chooses the runtime by the app's kind: a task with an image runs in a container, the others in-process. */
@ApplicationScoped
public class Runtimes implements AppRuntime {

    private final ContainerRuntime containers;
    private final Map<String, InProcessApp> builtIn;

    @Inject
    Runtimes(ContainerRuntime containers, Instance<InProcessApp> builtIn) {
        this(containers, builtIn.stream().collect(Collectors.toMap(InProcessApp::name, Function.identity())));
    }

    public Runtimes(ContainerRuntime containers, Map<String, InProcessApp> builtIn) {
        this.containers = containers;
        this.builtIn = new TreeMap<>(builtIn);
    }

    @Override
    public ActionResult run(ClaimedTask task, RunControl control) throws ActionFailed, InterruptedException {
        if (task.image() != null && !task.image().isBlank()) {
            return containers.run(task, control);
        }
        InProcessApp app = builtIn.get(task.app());
        if (app == null) {
            throw new ActionFailed("app '" + task.app() + "' has no image and is not built in (built in: "
                    + String.join(", ", builtIn.keySet()) + ")");
        }
        String org = task.orgId() == null ? null : task.orgId().toString();
        return ActionResult.of(app.run(org, task.action(), task.parameters(), control));
    }
}
