package dev.bulwark.workflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.common.testing.TenantMatrix;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every operation of workflow-service's OpenAPI document, with no token, every role, and as another organisation. */
@QuarkusTest
class TenantMatrixTest {

    @Test
    void everyOperationKeepsItsRolesAndOrganisationsApart() {
        TestOrg a = TestOrg.create();
        TestOrg b = TestOrg.create();
        UUID workflow = TestWorkflows.save(a, TestWorkflows.resource("single.json"));

        List<String> violations = new TenantMatrix(
                TenantMatrix.SUITE_ROLES,
                Set.of("POST /api/v1/auth/token", "GET /.well-known/jwks.json", "GET /.well-known/revocations.json",
                        "POST /api/v1/hooks/{hookId}"),
                Map.of("id", workflow.toString(), "org", a.id.toString()),
                (org, role) -> TestTokens.builder().subject(UUID.randomUUID().toString()).org(org).roles(role)
                        .build(),
                a.id.toString(), b.id.toString())
                .notCalledWhenAllowed(Set.of("POST /api/v1/queue/claim"))
                .violations();

        assertEquals(List.of(), violations);
    }
}
