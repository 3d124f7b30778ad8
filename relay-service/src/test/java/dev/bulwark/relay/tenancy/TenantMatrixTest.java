package dev.bulwark.relay.tenancy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TenantMatrix;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.relay.support.Relay;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every operation of the relay's OpenAPI document, with no token, every role, and as another organisation. */
@QuarkusTest
class TenantMatrixTest {

    @Test
    void everyOperationKeepsItsRolesAndOrganisationsApart() {
        String orgA = Relay.unique("org-a");
        String orgB = Relay.unique("org-b");
        String feed = given().auth().oauth2(token(orgA, Roles.ADMIN)).contentType(ContentType.JSON)
                .body(Map.of("name", Relay.unique("feed"), "url", "http://" + Relay.jwksHost() + "/feeds/a.csv",
                        "format", "csv", "disposition", 2))
                .when().post("/api/v1/feeds")
                .then().statusCode(201).extract().path("id");

        List<String> violations = new TenantMatrix(
                TenantMatrix.SUITE_ROLES,
                // The Threat Response relay routes keep the relay template's contract: their own authentication and
                // errors inside a 200 answer (covered by RelayAuthTest and OrganisationScopeTest), never 401/403.
                Set.of("POST /health", "POST /observe/observables", "POST /deliberate/observables",
                        "POST /refer/observables", "POST /respond/observables", "POST /respond/trigger",
                        "POST /tiles", "POST /tiles/tile", "POST /tiles/tile-data", "POST /version",
                        "GET /watchdog"),
                Map.of("id", feed),
                TenantMatrixTest::token,
                orgA, orgB)
                .violations();

        assertEquals(List.of(), violations);
    }

    private static String token(String org, String role) {
        return TestTokens.builder().org(org).roles(role).build();
    }
}
