package dev.bulwark.workflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TenantMatrix;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.workflow.identity.domain.IdentityFixture;
import dev.bulwark.workflow.identity.domain.IdentityFixture.TestUser;
import dev.bulwark.workflow.identity.domain.OrgRole;
import dev.bulwark.workflow.testing.TestAgent;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every operation of workflow-service's OpenAPI document, with no token, every role, and as another organisation
 * on organisation A's real objects: each path gets an object of its own kind (workflow, version, execution, task,
 * app, credential, API key, service account, member, invitation), so B's answer on every kind of A's ids is checked.
 */
@QuarkusTest
class TenantMatrixTest {

    @Test
    void everyOperationKeepsItsRolesAndOrganisationsApart() {
        TestOrg a = TestOrg.create();
        TestOrg b = TestOrg.create();
        TestUser member = IdentityFixture.newMember(a.id, OrgRole.USER);
        UUID workflow = TestWorkflows.save(a, TestWorkflows.resource("single.json"));
        UUID execution = TestWorkflows.execute(a, workflow, Map.of("alert", "matrix"));
        TestAgent.Claimed task = new TestAgent(a).claim(1, 10).get(0);
        String app = a.user().body(Map.of("name", "matrix-app", "version", "1.0.0", "image", "bulwark/matrix:1",
                        "actions", List.of(Map.of("name", "run", "parameters",
                                List.of(Map.of("name", "target", "type", "string", "required", true))))))
                .when().post("/api/v1/apps").then().statusCode(201).extract().path("id");
        String credential = a.admin().body(Map.of("name", "matrix-credential", "app", "http",
                        "fields", Map.of("Authorization", "Bearer matrix-secret"),
                        "allowedHosts", List.of("matrix.example.org")))
                .when().post("/api/v1/credentials").then().statusCode(201).extract().path("id");
        String apiKey = RestAssured.given().auth().oauth2(tokenOf(member, a)).contentType(ContentType.JSON)
                .body(Map.of("name", "matrix-key"))
                .when().post("/api/v1/api-keys").then().statusCode(201).extract().path("id");
        String serviceAccount = a.admin().body(Map.of("name", "matrix-worker", "roles", List.of("worker")))
                .when().post("/api/v1/service-accounts").then().statusCode(201).extract().path("id");
        TestUser invited = IdentityFixture.newOrgWith(OrgRole.USER);
        a.admin().body(Map.of("email", invited.email(), "role", "user"))
                .when().post("/api/v1/orgs/{org}/members", a.id).then().statusCode(202);
        String invitation = RestAssured.given().auth().oauth2(tokenOf(invited, null))
                .when().get("/api/v1/invitations").then().statusCode(200).extract().path("[0].id");

        List<String> violations = new TenantMatrix(
                TenantMatrix.SUITE_ROLES,
                Set.of("POST /api/v1/auth/token", "GET /.well-known/jwks.json", "GET /.well-known/revocations.json",
                        "POST /api/v1/hooks/{hookId}"),
                Map.of("org", a.id.toString(), "user", member.id().toString()),
                (org, role) -> TestTokens.builder().subject(UUID.randomUUID().toString()).org(org).roles(role)
                        .build(),
                a.id.toString(), b.id.toString())
                .idsOfA("/api/v1/workflows/", Map.of("id", workflow.toString(), "version", "1"))
                .idsOfA("/api/v1/executions/", Map.of("id", execution.toString()))
                .idsOfA("/api/v1/tasks/", Map.of("taskId", task.taskId().toString()))
                .idsOfA("/api/v1/apps/", Map.of("id", app))
                .idsOfA("/api/v1/credentials/", Map.of("id", credential))
                .idsOfA("/api/v1/api-keys/", Map.of("id", apiKey))
                .idsOfA("/api/v1/service-accounts/", Map.of("id", serviceAccount))
                .idsOfA("/api/v1/invitations/", Map.of("id", invitation))
                .requireEveryIdOfA()
                .notCalledWhenAllowed(Set.of("POST /api/v1/queue/claim"))
                .violations();

        assertEquals(List.of(), violations);
    }

    /** A token of a real user, in {@code org} (null: the user's own first organisation). */
    private static String tokenOf(TestUser user, TestOrg org) {
        return TestTokens.builder().subject(user.id().toString())
                .org((org == null ? user.orgId() : org.id).toString()).roles(Roles.USER).build();
    }
}
