package dev.bulwark.workflow.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.ServiceContract;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;

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

    /** Metrics are served on the management interface only (see {@code MetricsExposureTest}). */
    @Override
    protected int metricsPort() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    @Override
    protected String forbiddenRole() {
        return Roles.BACKBONE_CLIENT;
    }
}
