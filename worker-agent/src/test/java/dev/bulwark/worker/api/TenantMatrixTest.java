package dev.bulwark.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TenantMatrix;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.worker.upstream.RealIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every operation of worker-agent's OpenAPI document, with no token and every role; a new endpoint needs a rule. */
@QuarkusTest
@QuarkusTestResource(RealIssuer.class)
class TenantMatrixTest {

    @Test
    void everyOperationKeepsItsRoles() {
        List<String> violations = new TenantMatrix(
                Set.of(Roles.ADMIN, Roles.USER, Roles.READER, Roles.WORKER, Roles.DISPATCHER, Roles.BACKBONE_CLIENT,
                        Roles.RELAY_CLIENT),
                Set.of(),
                Map.of(),
                (org, role) -> TestTokens.builder().org(org).roles(role).build(),
                "matrix-org-a", "matrix-org-b")
                .violations();

        assertEquals(List.of(), violations);
    }
}
