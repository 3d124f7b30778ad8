package dev.bulwark.workflow.credential.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bulwark.workflow.credential.domain.Credential;
import dev.bulwark.workflow.credential.domain.OrgDataKey;
import dev.bulwark.workflow.queue.domain.Task;
import dev.bulwark.workflow.testing.TestAgent;
import dev.bulwark.workflow.testing.TestAgent.Claimed;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CredentialTest {

    private static final String TOKEN = "s3cr3t-relay-token-" + UUID.randomUUID();

    private static String workflowWith(String credential) {
        return """
                {"name": "Ask the relay", "start": "ask", "actions": [
                  {"id": "ask", "app": "http", "action": "request", "credential": "%s",
                   "parameters": {"method": "POST", "url": "http://relay:8084/deliberate/observables",
                                  "headers": {"Accept": "application/json"}}}]}
                """.formatted(credential);
    }

    @Test
    void credentialsAreStoredEncryptedAndOnlyTheClaimSeesThem() {
        TestOrg org = TestOrg.create();
        String id = org.admin().body(Map.of("name", "relay-token", "app", "http",
                        "fields", Map.of("Authorization", "Bearer " + TOKEN), "allowedHosts", List.of("relay:8084")))
                .when().post("/api/v1/credentials")
                .then().statusCode(201)
                .body("fields", contains("Authorization"))
                .body("preview.Authorization", equalTo("…" + TOKEN.substring(TOKEN.length() - 2)))
                .body(not(containsString(TOKEN)))
                .extract().path("id");
        org.reader().when().get("/api/v1/credentials").then().statusCode(200)
                .body("name", contains("relay-token")).body(not(containsString(TOKEN)));

        QuarkusTransaction.requiringNew().run(() -> {
            Credential row = Credential.findById(UUID.fromString(id));
            assertThat(new String(row.ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain(TOKEN);
            assertThat(row.preview + row.fieldNames).doesNotContain(TOKEN);
            OrgDataKey key = OrgDataKey.findById(org.id);
            assertThat(key.keyId).isEqualTo("test");
            assertThat(key.wrappedKey).hasSize(12 + 32 + 16);
        });

        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, workflowWith("relay-token")), Map.of());
        TestAgent agent = new TestAgent(org);
        Claimed task = agent.claim(1, 5).get(0);
        assertThat(task.parameters().at("/headers/Authorization").asText()).isEqualTo("Bearer " + TOKEN);
        assertThat(task.parameters().at("/headers/Accept").asText()).isEqualTo("application/json");
        QuarkusTransaction.requiringNew().run(() ->
                assertThat(((Task) Task.findById(task.taskId())).parameters).doesNotContain(TOKEN));

        // An app that echoes its credential (the whole value of its one field) does not get it stored.
        agent.report(task, "SUCCESS", JsonNodeFactory.instance.objectNode().put("echo", "Bearer " + TOKEN), null);
        String stored = org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("results[0].output.echo", equalTo("***")).extract().asString();
        assertThat(stored).doesNotContain(TOKEN);
        QuarkusTransaction.requiringNew().run(() ->
                assertThat(((Task) Task.findById(task.taskId())).output).doesNotContain(TOKEN));
    }

    @Test
    void onlyAdminsCreateAndDeleteCredentials() {
        TestOrg org = TestOrg.create();
        Map<String, Object> body = Map.of("name", "k", "app", "http", "fields", Map.of("X-Key", "value-123456"),
                "allowedHosts", List.of("api.example.org"));
        org.user().body(body).when().post("/api/v1/credentials").then().statusCode(403);
        org.reader().body(body).when().post("/api/v1/credentials").then().statusCode(403);
        String id = org.admin().body(body).when().post("/api/v1/credentials").then().statusCode(201)
                .extract().path("id");
        org.admin().body(body).when().post("/api/v1/credentials").then().statusCode(409);
        org.user().when().delete("/api/v1/credentials/{id}", id).then().statusCode(403);
        org.admin().when().delete("/api/v1/credentials/{id}", id).then().statusCode(204);
        org.reader().when().get("/api/v1/credentials").then().statusCode(200).body("id", equalTo(List.of()));
    }

    @Test
    void openApiAppsBecomeHttpRequestsWithTheirAuthenticationApplied() {
        TestOrg org = TestOrg.create();
        String spec = readSpec();
        org.user().contentType("application/yaml").body(spec.getBytes(StandardCharsets.UTF_8)).when().post("/api/v1/apps/openapi")
                .then().statusCode(201)
                .body("name", equalTo("pet_store")).body("version", equalTo("2.1.0")).body("kind", equalTo("openapi"))
                .body("actions.name", containsInAnyOrder("getPet", "deletePet", "addPet"))
                .body("authentication.type", equalTo("bearer"));
        org.admin().body(Map.of("name", "pets", "app", "pet_store", "fields", Map.of("token", TOKEN)))
                .when().post("/api/v1/credentials").then().statusCode(201);
        String document = """
                {"name": "Pets", "start": "get", "actions": [
                  {"id": "get", "app": "pet_store", "action": "getPet", "credential": "pets",
                   "parameters": {"petId": "$exec.pet", "verbose": true}}]}""";
        TestWorkflows.execute(org, TestWorkflows.save(org, document), Map.of("pet", "rex 1"));
        Claimed task = new TestAgent(org).claim(1, 5).get(0);
        assertThat(task.app()).isEqualTo("http");
        assertThat(task.action()).isEqualTo("request");
        assertThat(task.parameters().get("method").asText()).isEqualTo("GET");
        assertThat(task.parameters().get("url").asText()).isEqualTo("https://pets.example/api/pets/rex%201");
        assertThat(task.parameters().at("/query/verbose").asText()).isEqualTo("true");
        assertThat(task.parameters().at("/headers/Authorization").asText()).isEqualTo("Bearer " + TOKEN);

        String missing = document.replace("\"petId\": \"$exec.pet\", ", "");
        org.user().body(missing).when().post("/api/v1/workflows").then().statusCode(400)
                .body("errors[0].message", containsString("required parameter 'petId'"));
    }

    @Test
    void containerAppsRunTheirImageWithTheCredentialFields() {
        TestOrg org = TestOrg.create();
        Map<String, Object> app = Map.of("name", "whois", "version", "1.0.0", "image", "bulwark/whois:1",
                "actions", List.of(Map.of("name", "lookup", "parameters",
                        List.of(Map.of("name", "domain", "type", "string", "required", true)))));
        org.reader().body(app).when().post("/api/v1/apps").then().statusCode(403);
        org.user().body(app).when().post("/api/v1/apps").then().statusCode(201).body("kind", equalTo("container"));
        org.user().body(app).when().post("/api/v1/apps").then().statusCode(409);
        org.admin().body(Map.of("name", "whois-key", "app", "whois", "fields", Map.of("apiKey", TOKEN)))
                .when().post("/api/v1/credentials").then().statusCode(201);
        String document = """
                {"name": "Whois", "start": "who", "actions": [
                  {"id": "who", "app": "whois", "action": "lookup", "credential": "whois-key", "environment": "docker",
                   "parameters": {"domain": "$exec.domain"}}]}""";
        TestWorkflows.execute(org, TestWorkflows.save(org, document), Map.of("domain", "example.org"));
        assertThat(new TestAgent(org).claim(1, 0)).isEmpty();
        Claimed task = new TestAgent(org).claim("docker", 1, 5).get(0);
        assertThat(task.image()).isEqualTo("bulwark/whois:1");
        assertThat(task.parameters().get("domain").asText()).isEqualTo("example.org");
        assertThat(task.credentials().get("apiKey").asText()).isEqualTo(TOKEN);
        org.reader().when().get("/api/v1/apps").then().statusCode(200)
                .body("name", hasItems("http", "tools", "subflow", "whois"));
    }

    private static String readSpec() {
        try (var in = CredentialTest.class.getResourceAsStream("/apps/petstore.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
