package dev.bulwark.workflow.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test client acting as worker agent through the real queue API, with a tiny stand-in for the built-in apps
 * ({@code tools.echo}, {@code set_values}, {@code json_parse}; {@code http.request} answers with what it was asked).
 */
public final class TestAgent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestOrg org;

    public TestAgent(TestOrg org) {
        this.org = org;
    }

    public record Claimed(UUID taskId, int attempt, UUID executionId, String actionId, String app, String action,
                          String image, JsonNode parameters, JsonNode credentials, String executionToken,
                          JsonNode raw) {
    }

    public List<Claimed> claim(int max, int waitSeconds) {
        return claim("default", max, waitSeconds);
    }

    public List<Claimed> claim(String environment, int max, int waitSeconds) {
        String body = org.worker().body(Map.of("environment", environment, "max", max, "waitSeconds", waitSeconds))
                .when().post("/api/v1/queue/claim").then().statusCode(200).extract().asString();
        List<Claimed> tasks = new ArrayList<>();
        try {
            for (JsonNode t : JSON.readTree(body).get("tasks")) {
                tasks.add(new Claimed(UUID.fromString(t.get("taskId").asText()), t.get("attempt").asInt(),
                        UUID.fromString(t.get("executionId").asText()), t.get("actionId").asText(),
                        t.get("app").asText(), t.get("action").asText(), t.path("image").asText(null),
                        t.get("parameters"), t.get("credentials"), t.path("executionToken").asText(null), t));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return tasks;
    }

    public int report(Claimed task, String status, JsonNode output, String error) {
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("attempt", task.attempt()).put("status", status);
        result.set("output", output);
        if (error != null) {
            result.put("error", error);
        }
        return org.worker().body(result.toString()).when().post("/api/v1/tasks/{id}/result", task.taskId())
                .then().extract().statusCode();
    }

    /** Runs one task as the built-in apps would (enough of them for tests), and reports its result. */
    public void run(Claimed task) {
        JsonNode p = task.parameters();
        String key = task.app() + "." + task.action();
        int status = switch (key) {
            case "tools.echo" -> report(task, "SUCCESS", p.get("value"), null);
            case "tools.set_values" -> report(task, "SUCCESS", p.get("values"), null);
            case "tools.json_parse" -> {
                try {
                    yield report(task, "SUCCESS", JSON.readTree(p.get("input").asText()), null);
                } catch (java.io.IOException e) {
                    yield report(task, "FAILURE", null, "input is not JSON");
                }
            }
            case "http.request" -> report(task, "SUCCESS", JsonNodeFactory.instance.objectNode().put("status", 200)
                    .set("body", p), null);
            default -> report(task, "FAILURE", null, "the test agent cannot run " + key);
        };
        if (status != 204) {
            throw new IllegalStateException("result of " + task.taskId() + " answered " + status);
        }
    }

    /** Claims and runs tasks, results in reverse claim order, until the execution has ended. */
    public void drive(UUID executionId) {
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            List<Claimed> tasks = new ArrayList<>(claim(20, 1));
            Collections.reverse(tasks);
            tasks.forEach(this::run);
            String status = org.reader().when().get("/api/v1/executions/{id}", executionId).then().statusCode(200)
                    .extract().path("status");
            return !status.equals("EXECUTING") && !status.equals("WAITING");
        });
    }
}
