package dev.bulwark.dispatcher.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.common.testing.TenantMatrix;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every operation of dispatcher-service's OpenAPI document, with no token and every role. */
@QuarkusTest
class TenantMatrixTest {

    @Test
    void everyOperationKeepsItsRoles() {
        assertEquals(List.of(), TenantMatrix.rolesOnly().violations());
    }
}
