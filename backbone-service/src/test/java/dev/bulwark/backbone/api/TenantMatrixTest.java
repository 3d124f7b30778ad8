package dev.bulwark.backbone.api;

import static dev.bulwark.backbone.TestClients.adminToken;
import static dev.bulwark.backbone.TestClients.otherAdminToken;
import static dev.bulwark.backbone.TestClients.register;
import static dev.bulwark.backbone.TestClients.registerInOtherOrg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.backbone.TestClients;
import dev.bulwark.backbone.TestClients.Registered;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TenantMatrix;
import dev.bulwark.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every operation of the backbone's OpenAPI document, with no token, every role, and as another organisation. */
@QuarkusTest
class TenantMatrixTest {

    @AfterEach
    void deleteClients() {
        TestClients.deleteRegistered();
    }

    @Test
    void everyOperationKeepsItsRolesAndOrganisationsApart() {
        String root = TestClients.uniqueRoot();
        Registered a = register(List.of(root + ".#"), List.of(root + ".#"), true);
        Registered b = registerInOtherOrg(List.of("#"), List.of("#"), true);
        String orgA = org(adminToken());
        String orgB = org(otherAdminToken());

        List<String> violations = new TenantMatrix(
                TenantMatrix.SUITE_ROLES,
                Set.of("POST /token"),
                Map.of("clientId", a.clientId()),
                (org, role) -> switch (role) {
                    case Roles.ADMIN -> org.equals(orgA) ? adminToken() : otherAdminToken();
                    case Roles.BACKBONE_CLIENT -> org.equals(orgA) ? a.token() : b.token();
                    default -> TestTokens.builder().org(org).roles(role).build();
                },
                orgA, orgB)
                .notCalledWhenAllowed(Set.of("GET /api/v1/stream", "POST /api/v1/clients/{clientId}/rotate-secret"))
                .violations();

        assertEquals(List.of(), violations);
    }

    private static String org(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return new JsonPath(payload).getString("org");
    }
}
