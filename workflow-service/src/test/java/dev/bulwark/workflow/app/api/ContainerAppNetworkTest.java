package dev.bulwark.workflow.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bulwark.common.tasks.ClaimResponse;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 1: a container app declares whether it needs a network, only an admin may give a new version one,
 * and the claim answer carries it in the shared task contract (read here strictly: an unknown field fails), with the
 * trace context of the request that started the execution (issue 16 item 3).
 */
@QuarkusTest
class ContainerAppNetworkTest {

    private static final ObjectMapper STRICT = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static Map<String, Object> app(String version, boolean network) {
        return Map.of("name", "scanner", "version", version, "image", "bulwark-example/scanner:1", "network", network,
                "actions", List.of(Map.of("name", "scan", "parameters", List.of())));
    }

    @Test
    void onlyAnAdminGivesAnAppANetworkAndTheAgentIsToldSo() throws Exception {
        TestOrg org = TestOrg.create();
        org.admin().body(app("1.0.0", false)).when().post("/api/v1/apps").then().statusCode(201);
        org.user().body(app("1.1.0", true)).when().post("/api/v1/apps").then().statusCode(403)
                .body("detail", equalTo("A new version of app 'scanner' that changes its network needs the admin role"));
        org.admin().body(app("1.1.0", true)).when().post("/api/v1/apps").then().statusCode(201)
                .body("network", equalTo(true));

        String environment = "network-" + UUID.randomUUID();
        UUID workflow = TestWorkflows.save(org, """
                {"name": "Scan", "start": "scan", "actions": [
                  {"id": "scan", "app": "scanner", "version": "1.1.0", "action": "scan", "environment": "%s"}]}"""
                .formatted(environment));
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        UUID execution = UUID.fromString(org.user().header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .body(Map.of("argument", Map.of())).when().post("/api/v1/workflows/{id}/execute", workflow)
                .then().statusCode(202).extract().path("executionId"));

        String body = org.worker().body(Map.of("environment", environment, "max", 1, "waitSeconds", 10))
                .when().post("/api/v1/queue/claim").then().statusCode(200).extract().asString();
        List<ClaimedTask> tasks = STRICT.readValue(body, ClaimResponse.class).tasks();
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).executionId()).isEqualTo(execution);
        assertThat(tasks.get(0).network()).isTrue();
        assertThat(tasks.get(0).image()).isEqualTo("bulwark-example/scanner:1");
        assertThat(tasks.get(0).executionToken()).isNotBlank();
        assertThat(tasks.get(0).orgId()).isEqualTo(org.id);
        assertThat(tasks.get(0).traceparent()).as("the worker continues the trace of the execute request")
                .matches("00-" + traceId + "-[0-9a-f]{16}-01");
    }
}
