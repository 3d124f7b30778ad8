package dev.bulwark.workflow.definition.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Each kind of bad workflow is refused on save with the field and a precise message. */
@QuarkusTest
class WorkflowValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestOrg org = TestOrg.create();

    private void refused(Consumer<ObjectNode> change, String field, String message) throws Exception {
        ObjectNode document = (ObjectNode) JSON.readTree(TestWorkflows.resource("triage.json"));
        change.accept(document);
        org.user().body(document.toString()).when().post("/api/v1/workflows")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("The workflow is invalid"))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
    }

    private static ObjectNode action(ObjectNode document, int index) {
        return (ObjectNode) document.get("actions").get(index);
    }

    @Test
    void unknownAppsAndActions() throws Exception {
        refused(d -> action(d, 1).put("app", "nmap"), "actions[1].app", "unknown app 'nmap'");
        refused(d -> action(d, 1).put("action", "download"), "actions[1].action", "app 'http' has no action 'download'");
    }

    @Test
    void missingRequiredAndUnknownParameters() throws Exception {
        refused(d -> ((ObjectNode) action(d, 1).get("parameters")).remove("url"), "actions[1].parameters.url",
                "required parameter 'url' of http.request is missing");
        refused(d -> ((ObjectNode) action(d, 1).get("parameters")).put("verbose", true),
                "actions[1].parameters.verbose", "unknown parameter 'verbose'");
        refused(d -> ((ObjectNode) action(d, 1).get("parameters")).put("method", "FETCH"),
                "actions[1].parameters.method", "'FETCH' is not one of");
    }

    @Test
    void branchesToMissingNodesAndUnreachableNodes() throws Exception {
        refused(d -> ((ArrayNode) d.get("branches")).addObject().put("source", "report").put("destination", "ghost"),
                "branches[7].destination", "branch to a missing node 'ghost'");
        refused(d -> ((ArrayNode) d.get("actions")).addObject().put("id", "orphan").put("app", "tools")
                        .put("action", "timestamp"),
                "actions[7]", "action 'orphan' is unreachable from start node 'extract'");
        refused(d -> d.put("start", "nowhere"), "start", "start node 'nowhere' is not an action");
        refused(d -> ((ArrayNode) d.get("branches")).addObject().put("source", "report").put("destination", "extract"),
                "branches", "branches form a cycle");
    }

    @Test
    void unknownReferencesAndInvalidOperators() throws Exception {
        refused(d -> ((ObjectNode) action(d, 3).get("parameters")).put("value", "$lookup_host.body"),
                "actions[3].parameters.value", "unknown reference '$lookup_host.body': no action 'lookup_host'");
        refused(d -> ((ObjectNode) action(d, 3).get("parameters")).put("value", "$report"),
                "actions[3].parameters.value", "action 'report' does not run before this point");
        refused(d -> ((ObjectNode) action(d, 3).get("parameters")).put("value", "$vars.colour"),
                "actions[3].parameters.value", "no such workflow variable");
        refused(d -> ((ObjectNode) d.get("branches").get(1).get("conditions").get(0)).put("operator", "bigger"),
                "branches[1].conditions[0].operator", "invalid condition operator 'bigger'");
    }

    @Test
    void badTemplatesCronExpressionsAndCredentials() throws Exception {
        refused(d -> ((ObjectNode) action(d, 2).get("parameters")).put("value", "{% if x %}never closed"),
                "actions[2].parameters.value", "invalid Liquid template");
        refused(d -> ((ArrayNode) d.get("triggers")).addObject().put("type", "schedule").put("cron", "every minute"),
                "triggers[1].cron", "invalid cron expression");
        refused(d -> action(d, 1).put("credential", "nope"), "actions[1].credential", "unknown credential 'nope'");
    }

    @Test
    void theSampleOfApiMdIsAcceptedOnceItsCredentialExists() {
        String sample = TestWorkflows.resource("api-md-sample.json");
        org.user().body(sample).when().post("/api/v1/workflows").then().statusCode(400)
                .body("errors.field", hasItem("actions[1].credential"));
        org.admin().body(java.util.Map.of("name", "relay-token", "app", "http",
                "fields", java.util.Map.of("Authorization", "Bearer relay-token-value"),
                "allowedHosts", java.util.List.of("relay:8084")))
                .when().post("/api/v1/credentials").then().statusCode(201);
        UUID id = TestWorkflows.save(org, sample);
        org.user().when().get("/api/v1/workflows/{id}/triggers", id).then().statusCode(200)
                .body("schedules[0].cron", equalTo("0 */15 * * * ?"))
                .body("webhook.url", containsString("/api/v1/hooks/"));
    }

    @Test
    void aValidWorkflowIsVersionedExportedAndImported() throws Exception {
        String document = TestWorkflows.resource("triage.json");
        UUID id = TestWorkflows.save(org, document);
        org.user().body(document.replace("Triage an alert", "Triage v2")).when().put("/api/v1/workflows/{id}", id)
                .then().statusCode(200).body("version", equalTo(2)).body("name", equalTo("Triage v2"));
        org.reader().when().get("/api/v1/workflows/{id}/versions/1", id)
                .then().statusCode(200).body("version", equalTo(1)).body("name", equalTo("Triage an alert"));
        org.reader().when().get("/api/v1/workflows/{id}/versions/3", id).then().statusCode(404);
        String exported = org.reader().when().get("/api/v1/workflows/{id}/export", id)
                .then().statusCode(200).body("name", equalTo("Triage v2")).body("id", nullValue())
                .extract().asString();
        String imported = org.user().body(exported).when().post("/api/v1/workflows/import")
                .then().statusCode(201).body("version", equalTo(1)).extract().path("id");
        org.reader().when().get("/api/v1/workflows").then().statusCode(200)
                .body("id", hasItem(imported)).body("id", hasItem(id.toString()));
        org.user().when().delete("/api/v1/workflows/{id}", imported).then().statusCode(204);
        org.reader().when().get("/api/v1/workflows/{id}", imported).then().statusCode(404);
        TestOrg.create().reader().when().get("/api/v1/workflows/{id}", id).then().statusCode(404);
    }
}
