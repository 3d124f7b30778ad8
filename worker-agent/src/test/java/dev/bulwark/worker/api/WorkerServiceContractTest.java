package dev.bulwark.worker.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.ServiceContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
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

    /** No workflow-service runs during module tests, so the agent must say it is not ready and why. */
    @Override
    @Test
    public void readinessReportsItsRealDependencies() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'workflow-service' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'workflow-service' }.data.url", equalTo("http://127.0.0.1:9"));
    }
}
