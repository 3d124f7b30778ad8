package dev.bulwark.workflow.execution.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.workflow.testing.TestAgent;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** The sample workflow driven through the real queue API by a test client acting as agent. */
@QuarkusTest
class EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void branchesLoopsTemplatesAndAFailedActionRunToTheEnd() throws Exception {
        TestOrg org = TestOrg.create();
        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("triage.json"));
        UUID execution = TestWorkflows.execute(org, workflow, Map.of(
                "alert", Map.of("src_ip", "10.0.0.1", "severity", 8),
                "hosts", List.of(Map.of("name", "a"), Map.of("name", "b"), Map.of("name", "c"))));

        new TestAgent(org).drive(execution);

        JsonNode view = JSON.readTree(org.reader().when().get("/api/v1/executions/{id}", execution)
                .then().statusCode(200).extract().asString());
        assertThat(view.get("status").asText()).isEqualTo("FINISHED");
        assertThat(view.get("workflowVersion").asInt()).isEqualTo(1);
        Map<String, JsonNode> results = new java.util.HashMap<>();
        view.get("results").forEach(r -> results.put(r.get("actionId").asText(), r));
        assertThat(results.keySet()).containsExactlyInAnyOrder("extract", "lookup", "notify", "archive", "archived",
                "parse", "report");

        assertThat(results.get("extract").get("output").get("severity").isInt()).isTrue();
        JsonNode lookup = results.get("lookup");
        assertThat(lookup.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(lookup.get("output")).hasSize(3);
        assertThat(lookup.get("output").get(0).at("/body/url").asText()).isEqualTo("https://inventory.example/hosts/a");
        assertThat(lookup.get("output").get(2).at("/body/url").asText()).isEqualTo("https://inventory.example/hosts/c");

        assertThat(results.get("notify").get("output").asText()).isEqualTo("10.0.0.1 is critical: post to soc.alerts");
        assertThat(results.get("archive").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(results.get("archived").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(results.get("parse").get("status").asText()).isEqualTo("FAILURE");
        assertThat(results.get("parse").get("error").asText()).isEqualTo("input is not JSON");

        JsonNode report = results.get("report");
        assertThat(report.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(report.at("/output/hosts/1/body/url").asText()).isEqualTo("https://inventory.example/hosts/b");
        assertThat(report.at("/output/notice").asText()).startsWith("10.0.0.1 is critical");
        assertThat(report.at("/output/ip").asText()).isEqualTo("IP 10.0.0.1");
    }

    @Test
    void aFailedActionEndsTheExecutionWhenExitOnErrorIsSet() {
        TestOrg org = TestOrg.create();
        String document = TestWorkflows.resource("triage.json").replace("\"exitOnError\": false", "\"exitOnError\": true");
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, document), Map.of(
                "alert", Map.of("src_ip", "10.0.0.2", "severity", 9), "hosts", List.of()));

        new TestAgent(org).drive(execution);

        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", Matchers.equalTo("FAILED"))
                .body("error", Matchers.containsString("action 'parse' failed"))
                .body("results.find { it.actionId == 'lookup' }.output", Matchers.empty());
    }

    @Test
    void anUnresolvableReferenceIsAnErrorOfItsAction() {
        TestOrg org = TestOrg.create();
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("triage.json")),
                Map.of("alert", Map.of("src_ip", "10.0.0.3", "severity", 2)));

        new TestAgent(org).drive(execution);

        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", Matchers.equalTo("FINISHED"))
                .body("results.find { it.actionId == 'extract' }.status", Matchers.equalTo("FAILURE"))
                .body("results.find { it.actionId == 'extract' }.error",
                        Matchers.equalTo("$exec.hosts: $exec has no 'hosts'"))
                .body("results.find { it.actionId == 'lookup' }.status", Matchers.equalTo("FAILURE"));
    }
}
