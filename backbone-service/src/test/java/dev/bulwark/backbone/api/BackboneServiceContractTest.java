package dev.bulwark.backbone.api;

import dev.bulwark.backbone.RealIssuer;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.ServiceContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The suite contract; it also starts the real issuer for every test of the module. */
@QuarkusTest
@QuarkusTestResource(RealIssuer.class)
class BackboneServiceContractTest extends ServiceContract {

    @Override
    protected String serviceName() {
        return "backbone-service";
    }

    @Override
    protected String[] readinessChecks() {
        return new String[] {"Database connections health check", "RabbitMQ connection"};
    }

    @Override
    protected String allowedRole() {
        return Roles.BACKBONE_CLIENT;
    }

    @Override
    protected String forbiddenRole() {
        return Roles.READER;
    }
}
