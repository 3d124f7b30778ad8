package dev.bulwark.relay.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.ServiceContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RelayServiceContractTest extends ServiceContract {

    @Override
    protected String serviceName() {
        return "relay-service";
    }

    @Override
    protected String[] readinessChecks() {
        return new String[] {"Database connections health check"};
    }

    @Override
    protected String allowedRole() {
        return Roles.RELAY_CLIENT;
    }

    @Override
    protected String forbiddenRole() {
        return Roles.WORKER;
    }
}
