package dev.bulwark.backbone;

import dev.bulwark.common.testing.WorkflowServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Runs the real workflow-service for the module's tests: it creates the clients' service accounts and tokens. */
public class RealIssuer implements QuarkusTestResourceLifecycleManager {

    private static WorkflowServiceProcess workflow;

    @Override
    public Map<String, String> start() {
        workflow = WorkflowServiceProcess.start();
        return Map.of("quarkus.rest-client.issuer.url", workflow.url(),
                "mp.jwt.verify.publickey.location", workflow.jwksUrl(),
                "bulwark.revocation.url", workflow.url() + "/.well-known/revocations.json");
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
