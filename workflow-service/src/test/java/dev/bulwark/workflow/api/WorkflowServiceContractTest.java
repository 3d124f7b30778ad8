package dev.bulwark.workflow.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.ServiceContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class WorkflowServiceContractTest extends ServiceContract {

    @Override
    protected String serviceName() {
        return "workflow-service";
    }

    @Override
    protected String[] readinessChecks() {
        return new String[] {"Database connections health check", "Kafka connection health check"};
    }

    @Override
    protected String allowedRole() {
        return Roles.READER;
    }

    @Override
    protected String forbiddenRole() {
        return Roles.BACKBONE_CLIENT;
    }
}
