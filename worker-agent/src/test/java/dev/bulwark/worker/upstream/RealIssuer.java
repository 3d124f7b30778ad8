package dev.bulwark.worker.upstream;

import dev.bulwark.common.testing.WorkflowServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Runs the real workflow-service for the module's tests: the agent's upstream and the issuer of its tokens. */
public class RealIssuer implements QuarkusTestResourceLifecycleManager {

    private static WorkflowServiceProcess workflow;

    @Override
    public Map<String, String> start() {
        workflow = WorkflowServiceProcess.start();
        return Map.of("bulwark.workflow.url", workflow.url(),
                "mp.jwt.verify.publickey.location", workflow.jwksUrl());
    }

    @Override
    public void stop() {
        if (workflow != null) {
            workflow.close();
        }
    }

    static WorkflowServiceProcess workflow() {
        return workflow;
    }
}
