package dev.bulwark.workflow.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who may do what on the engine's main endpoints: readers read, users change, admins manage credentials, workers claim. */
@QuarkusTest
class EngineRoleMatrixTest {

    private final TestOrg org = TestOrg.create();
    private final String document = TestWorkflows.resource("single.json");

    private int status(String role, String method, String path, Object body) {
        var request = org.as(role);
        if (body != null) {
            request = request.body(body);
        }
        return request.when().request(method, path).then().extract().statusCode();
    }

    @Test
    void readersReadUsersChangeWorkersClaim() {
        UUID workflow = TestWorkflows.save(org, document);
        String wf = "/api/v1/workflows/" + workflow;
        Map<String, Object> claim = Map.of("max", 1, "waitSeconds", 0);
        Map<String, Object> execute = Map.of("argument", Map.of());

        record Case(String method, String path, Object body, int reader, int user, int admin, int worker) {
        }
        for (Case c : new Case[] {
                new Case("GET", "/api/v1/workflows", null, 200, 200, 200, 403),
                new Case("GET", wf, null, 200, 200, 200, 403),
                new Case("POST", "/api/v1/workflows", document, 403, 201, 201, 403),
                new Case("PUT", wf, document, 403, 200, 200, 403),
                new Case("POST", wf + "/execute", execute, 403, 202, 202, 403),
                new Case("GET", "/api/v1/executions", null, 200, 200, 200, 403),
                new Case("GET", "/api/v1/apps", null, 200, 200, 200, 403),
                new Case("GET", "/api/v1/credentials", null, 200, 200, 200, 403),
                new Case("POST", "/api/v1/credentials", Map.of("name", "c-" + UUID.randomUUID(), "app", "http",
                        "fields", Map.of("X-Key", "v"), "allowedHosts", List.of("api.example.org")), 403, 403, 201, 403),
                new Case("POST", "/api/v1/queue/claim", claim, 403, 403, 403, 200),
        }) {
            String what = c.method() + " " + c.path() + " as ";
            assertThat(status(Roles.READER, c.method(), c.path(), c.body())).as(what + "reader").isEqualTo(c.reader());
            assertThat(status(Roles.USER, c.method(), c.path(), c.body())).as(what + "user").isEqualTo(c.user());
            assertThat(status(Roles.WORKER, c.method(), c.path(), c.body())).as(what + "worker").isEqualTo(c.worker());
            assertThat(status(Roles.ADMIN, c.method(), c.path(), c.body())).as(what + "admin").isEqualTo(c.admin());
        }
    }

    @Test
    void theDispatcherStartsAndReadsExecutionsOnly() {
        UUID workflow = TestWorkflows.save(org, document);
        String execution = org.as(Roles.DISPATCHER).body(Map.of("argument", Map.of("from", "kafka")))
                .when().post("/api/v1/workflows/{id}/execute", workflow)
                .then().statusCode(202).extract().path("executionId");
        org.as(Roles.DISPATCHER).when().get("/api/v1/executions/{id}", execution).then().statusCode(200);
        org.as(Roles.DISPATCHER).when().get("/api/v1/workflows/{id}", workflow).then().statusCode(403);
        org.as(Roles.DISPATCHER).body(document).when().post("/api/v1/workflows").then().statusCode(403);
    }

    @Test
    void noTokenIsA401AndAnotherServiceRoleA403() {
        for (String path : new String[] {"/api/v1/workflows", "/api/v1/executions", "/api/v1/apps"}) {
            given().when().get(path).then().statusCode(401);
            given().auth().oauth2(TestTokens.expired(Roles.ADMIN)).when().get(path).then().statusCode(401);
            given().auth().oauth2(org.token(Roles.BACKBONE_CLIENT)).when().get(path).then().statusCode(403);
        }
        given().contentType(ContentType.JSON).body("{}").when().post("/api/v1/queue/claim").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("attempt", 1)).when()
                .post("/api/v1/tasks/{id}/result", UUID.randomUUID()).then().statusCode(401);
    }
}
