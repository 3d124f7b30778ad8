package dev.bulwark.workflow.execution.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.workflow.testing.TestAgent;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Built-in tools actions the engine runs itself ({@code "runOn": "engine"}; the test profile turns the default off so
 * the queue tests keep using tools as agent work): same results as through an agent, no task queued for them.
 */
@QuarkusTest
class InEngineToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theEngineRunsToolsItselfAndQueuesOnlyTheHttpAction() throws Exception {
        TestOrg org = TestOrg.create();
        UUID workflow = TestWorkflows.save(org, withRunOn(TestWorkflows.resource("triage.json"), "tools", "engine"));
        UUID execution = TestWorkflows.execute(org, workflow, Map.of(
                "alert", Map.of("src_ip", "10.0.0.1", "severity", 8),
                "hosts", List.of(Map.of("name", "a"), Map.of("name", "b"))));

        TestAgent agent = new TestAgent(org);
        List<TestAgent.Claimed> claimed = agent.claim(20, 5);
        assertThat(claimed).extracting(TestAgent.Claimed::app).containsOnly("http").hasSize(2);
        claimed.forEach(agent::run);
        agent.drive(execution);

        JsonNode view = JSON.readTree(org.reader().when().get("/api/v1/executions/{id}", execution)
                .then().statusCode(200).extract().asString());
        assertThat(view.get("status").asText()).isEqualTo("FINISHED");
        Map<String, JsonNode> results = new HashMap<>();
        view.get("results").forEach(r -> results.put(r.get("actionId").asText(), r));
        assertThat(results.get("extract").get("output").get("severity").asInt()).isEqualTo(8);
        assertThat(results.get("notify").get("output").asText()).isEqualTo("10.0.0.1 is critical: post to soc.alerts");
        assertThat(results.get("archive").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(results.get("parse").get("status").asText()).isEqualTo("FAILURE");
        assertThat(results.get("parse").get("error").asText()).startsWith("input is not JSON");
        assertThat(results.get("report").at("/output/hosts/1/body/url").asText())
                .isEqualTo("https://inventory.example/hosts/b");
        assertThat(results.get("report").at("/output/ip").asText()).isEqualTo("IP 10.0.0.1");
    }

    @Test
    void aWorkflowOfToolsFinishesWithinTheExecuteRequestAndLoopsKeepTheirOrder() {
        TestOrg org = TestOrg.create();
        UUID workflow = TestWorkflows.save(org, """
                {"name": "in-engine loop", "start": "each", "exitOnError": true,
                 "actions": [
                   {"id": "each", "app": "tools", "action": "hash", "runOn": "engine",
                    "parameters": {"input": "$exec.items.#", "algorithm": "sha256"}},
                   {"id": "bad", "app": "tools", "action": "base64_decode", "runOn": "engine",
                    "parameters": {"input": "$exec.items.#"}}],
                 "branches": [{"source": "each", "destination": "bad"}]}""");
        UUID execution = TestWorkflows.execute(org, workflow, Map.of("items", List.of("YQ==", "Yg==", "!!")));

        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("results.find { it.actionId == 'each' }.output[1]",
                        equalTo("60f07bd9d8450ee20e82576609552906156664393b99d9164e50f74b84d1b300"))
                .body("results.find { it.actionId == 'bad' }.error", startsWith("item 2: input is not base64"));
        assertThat(new TestAgent(org).claim(20, 0)).isEmpty();
    }

    @Test
    void runOnAgentQueuesTheToolAndRunOnEngineIsRefusedForOtherApps() {
        TestOrg org = TestOrg.create();
        UUID workflow = TestWorkflows.save(org, withRunOn(TestWorkflows.resource("single.json"), "tools", "agent"));
        UUID execution = TestWorkflows.execute(org, workflow, Map.of("n", 1));
        assertThat(new TestAgent(org).claim(20, 5)).extracting(TestAgent.Claimed::executionId).containsExactly(execution);

        org.user().body(withRunOn(TestWorkflows.resource("triage.json"), "http", "engine"))
                .when().post("/api/v1/workflows").then().statusCode(400)
                .body("errors.field", hasItem("actions[1].runOn"));
    }

    private static String withRunOn(String document, String app, String runOn) {
        try {
            ObjectNode doc = (ObjectNode) JSON.readTree(document);
            doc.put("name", doc.get("name").asText() + " " + UUID.randomUUID());
            doc.get("actions").forEach(a -> {
                if (a.get("app").asText().equals(app)) {
                    ((ObjectNode) a).put("runOn", runOn);
                }
            });
            return doc.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
