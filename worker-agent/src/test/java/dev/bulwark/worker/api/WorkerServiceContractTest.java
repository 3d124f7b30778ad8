package dev.bulwark.worker.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.ServiceContract;
import dev.bulwark.worker.support.RealIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(RealIssuer.class)
class WorkerServiceContractTest extends ServiceContract {

    @Override
    protected String serviceName() {
        return "worker-agent";
    }

    @Override
    protected String[] readinessChecks() {
        return new String[] {"workflow-service"};
    }

    @Override
    protected String allowedRole() {
        return Roles.WORKER;
    }

    @Override
    protected String forbiddenRole() {
        return Roles.USER;
    }
}
