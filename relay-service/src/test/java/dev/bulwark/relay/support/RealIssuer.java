package dev.bulwark.relay.support;

import dev.bulwark.common.testing.WorkflowServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs the real workflow-service for the tests that need tokens it issues and revokes: the relay verifies them
 * with its JWKS and reads its revocation list, as in a suite.
 */
public class RealIssuer implements QuarkusTestResourceLifecycleManager {

    private static WorkflowServiceProcess workflow;

    @Override
    public Map<String, String> start() {
        workflow = WorkflowServiceProcess.start();
        return Map.of("mp.jwt.verify.publickey.location", workflow.jwksUrl(),
                "bulwark.revocation.url", workflow.revocationUrl());
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
