package dev.bulwark.worker.upstream;

import dev.bulwark.common.testing.WorkflowServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.path.json.JsonPath;
import java.util.Map;

/**
 * Runs the real workflow-service for the module's tests: the agent's upstream, the issuer of its tokens and the
 * queue it claims from, with a service account (role worker) the agent under test claims as.
 */
public class RealIssuer implements QuarkusTestResourceLifecycleManager {

    private static WorkflowServiceProcess workflow;

    @Override
    public Map<String, String> start() {
        workflow = WorkflowServiceProcess.start();
        JsonPath agent = workflow.createServiceAccount("worker-agent-under-test", "worker");
        return Map.of("bulwark.workflow.url", workflow.url(),
                "mp.jwt.verify.publickey.location", workflow.jwksUrl(),
                "bulwark.worker.client-id", agent.getString("clientId"),
                "bulwark.worker.client-secret", agent.getString("clientSecret"));
    }

    @Override
    public void stop() {
        if (workflow != null) {
            workflow.close();
        }
    }

    public static WorkflowServiceProcess workflow() {
        return workflow;
    }
}
