package dev.bulwark.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TenantMatrix;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.TargetApp;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every operation of the orchestrator's OpenAPI document, with no token, every role, and as another organisation. */
@QuarkusTest
class TenantMatrixTest {

    private static final String ORG_A = TestTokens.ORG;
    private static final String ORG_B = "matrix-other-org";

    @Test
    void everyOperationKeepsItsRolesAndOrganisationsApart() {
        try (TargetApp target = TargetApp.clean()) {
            String run = Runs.start(Jobs.app(target.port(), "/a"),
                    TestTokens.builder().org(ORG_A).roles(Roles.USER).build());
            Runs.awaitEnded(run);

            List<String> violations = new TenantMatrix(
                    TenantMatrix.SUITE_ROLES,
                    // The purpleteam CLI's endpoints carry no token (the CLI sends none); they act for the one
                    // organisation configured in bulwark.orchestrator.compat.org and are off without it.
                    Set.of("GET /status", "POST /testplan", "POST /test", "GET /outcomes",
                            "GET /poll-tester-feedback/{tester}/{session}", "GET /tester-feedback/{tester}/{session}"),
                    Map.of("id", run, "tester", "app"),
                    (org, role) -> TestTokens.builder().org(org).roles(role).build(),
                    ORG_A, ORG_B)
                    .notCalledWhenAllowed(Set.of("GET /api/v1/test-runs/{id}/feedback/{tester}",
                            "GET /api/v1/test-runs/{id}/feedback/{tester}/poll"))
                    .violations();

            assertEquals(List.of(), violations);
        }
    }
}
