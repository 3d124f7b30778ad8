package dev.bulwark.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.common.testing.TenantMatrix;
import dev.bulwark.worker.support.RealIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every operation of worker-agent's OpenAPI document, with no token and every role; a new endpoint needs a rule. */
@QuarkusTest
@QuarkusTestResource(RealIssuer.class)
class TenantMatrixTest {

    @Test
    void everyOperationKeepsItsRoles() {
        assertEquals(List.of(), TenantMatrix.rolesOnly().violations());
    }
}
