package dev.bulwark.dispatcher.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.ServiceContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DispatcherServiceContractTest extends ServiceContract {

    @Override
    protected String serviceName() {
        return "dispatcher-service";
    }

    @Override
    protected String[] readinessChecks() {
        return new String[] {"Kafka connection health check"};
    }

    @Override
    protected String allowedRole() {
        return Roles.DISPATCHER;
    }

    @Override
    protected String forbiddenRole() {
        return Roles.USER;
    }
}
