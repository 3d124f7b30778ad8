package dev.bulwark.e2e.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Executions started through REST ({@code POST /api/v1/workflows/{id}/execute}), alternately of a workflow the engine
 * runs itself (tools only) and of one whose action goes through worker-agent ({@code tools.delay} of 2 s, so a killed
 * agent dies with tasks in hand). Completed = the execution FINISHED; duplicated = action attempts beyond the first.
 */
final class WorkflowLoad extends Load {

    private final Suite suite;
    private String engineWorkflow;
    private String agentWorkflow;
    private Tally engine;
    private Tally agent;
    /** id of the load item → its execution. */
    private final Map<String, String> executions = new ConcurrentHashMap<>();
    private boolean toAgent;

    WorkflowLoad(Suite suite) {
        super("wf", Duration.ofMillis(250));
        this.suite = suite;
    }

    void setUp() {
        engineWorkflow = save(Map.of("name", "Fault suite: engine", "start", "echo", "actions", List.of(
                Map.of("id", "echo", "app", "tools", "action", "echo", "parameters", Map.of("value", "$exec.id")))));
        agentWorkflow = save(Map.of("name", "Fault suite: worker-agent", "start", "wait", "actions", List.of(
                Map.of("id", "wait", "app", "tools", "action", "delay",
                        "parameters", Map.of("seconds", 2, "value", "$exec.id")))));
    }

    private String save(Map<String, Object> document) {
        for (JsonNode workflow : suite.required("GET", Suite.WORKFLOW + "/api/v1/workflows", suite.admin(), null)) {
            if (workflow.path("name").asText().equals(document.get("name"))) {
                suite.required("PUT", Suite.WORKFLOW + "/api/v1/workflows/" + workflow.path("id").asText(),
                        suite.admin(), document);
                return workflow.path("id").asText();
            }
        }
        return suite.required("POST", Suite.WORKFLOW + "/api/v1/workflows", suite.admin(), document)
                .path("id").asText();
    }

    @Override
    void start(String scenario) {
        engine = new Tally("workflows (engine)");
        agent = new Tally("workflows (worker-agent)");
        executions.clear();
        super.start(scenario);
    }

    @Override
    List<Tally> tallies() {
        return List.of(engine, agent);
    }

    @Override
    protected void produce(String id) {
        toAgent = !toAgent;
        Tally tally = toAgent ? agent : engine;
        Instant asked = Instant.now();
        Suite.Answer answer = suite.call("POST", Suite.WORKFLOW + "/api/v1/workflows/"
                + (toAgent ? agentWorkflow : engineWorkflow) + "/execute", suite.admin(),
                Map.of("argument", Map.of("id", id)));
        if (answer.status() == 202) {
            executions.put(id, answer.body().path("executionId").asText());
            tally.accepted(id, asked);
        } else {
            tally.refused();
        }
    }

    @Override
    void check() {
        for (Tally tally : tallies()) {
            for (String id : tally.pending()) {
                Suite.Answer answer = suite.call("GET", Suite.WORKFLOW + "/api/v1/executions/" + executions.get(id),
                        suite.admin(), null);
                if (!answer.ok()) {
                    continue;
                }
                JsonNode execution = answer.body();
                if (!execution.path("argument").path("id").asText().equals(id)) {
                    tally.failed(id, "execution " + executions.get(id) + " has another argument");
                    continue;
                }
                switch (execution.path("status").asText()) {
                    case "FINISHED" -> {
                        tally.completed(id, Suite.time(execution.path("finishedAt")));
                        int extra = 0;
                        for (JsonNode result : execution.path("results")) {
                            extra += Math.max(0, result.path("attempt").asInt(1) - 1);
                        }
                        tally.extraWork(extra);
                    }
                    case "FAILED", "ABORTED" -> tally.failed(id, "execution " + executions.get(id) + " "
                            + execution.path("status").asText() + ": " + execution.path("error").asText()
                            + " " + execution.path("results").findValuesAsText("error"));
                    default -> {
                    }
                }
            }
        }
    }
}
