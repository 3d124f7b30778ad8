package dev.bulwark.workflow.execution.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.workflow.execution.messaging.ExecutionEvents;
import dev.bulwark.workflow.testing.TestAgent;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ExecutionLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAbortedExecutionHandsOutNoMoreWorkAndCanBeRerun() {
        TestOrg org = TestOrg.create();
        TestAgent agent = new TestAgent(org);
        UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("fan-out.json"));
        UUID execution = TestWorkflows.execute(org, workflow, Map.of("items", List.of(1, 2, 3)));
        agent.run(agent.claim(1, 5).get(0));
        TestAgent.Claimed running = agent.claim(1, 5).get(0);

        org.reader().when().post("/api/v1/executions/{id}/abort", execution).then().statusCode(403);
        org.user().when().post("/api/v1/executions/{id}/abort", execution).then().statusCode(200)
                .body("status", equalTo("ABORTED"))
                .body("results.find { it.actionId == 'each' }.status", equalTo("ABORTED"));
        org.user().when().post("/api/v1/executions/{id}/abort", execution).then().statusCode(409);
        assertThat(agent.claim(10, 0)).isEmpty();
        assertThat(agent.report(running, "SUCCESS", JSON.valueToTree(1), null)).isEqualTo(409);
        org.worker().body(Map.of("attempt", running.attempt())).when()
                .post("/api/v1/tasks/{id}/heartbeat", running.taskId()).then().statusCode(409);

        String rerun = org.user().when().post("/api/v1/executions/{id}/rerun", execution).then().statusCode(202)
                .extract().path("executionId");
        agent.drive(UUID.fromString(rerun));
        org.reader().when().get("/api/v1/executions/{id}", rerun).then().statusCode(200)
                .body("status", equalTo("FINISHED")).body("trigger", equalTo("rerun"))
                .body("argument.items", equalTo(List.of(1, 2, 3)));

        org.reader().queryParam("workflowId", workflow).queryParam("status", "ABORTED").when()
                .get("/api/v1/executions").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(execution.toString()));
        org.reader().queryParam("workflowId", workflow).queryParam("size", 1).queryParam("page", 1).when()
                .get("/api/v1/executions").then().statusCode(200)
                .body("total", equalTo(2)).body("items", hasSize(1)).body("items[0].id", equalTo(execution.toString()));
    }

    @Test
    void aSubflowRunsAndItsParentWaitsForIt() {
        TestOrg org = TestOrg.create();
        UUID child = TestWorkflows.save(org, TestWorkflows.resource("single.json"));
        UUID parent = TestWorkflows.save(org, TestWorkflows.resource("parent.json"));
        UUID execution = TestWorkflows.execute(org, parent, Map.of("child", child.toString(), "value", "hello"));
        org.reader().when().get("/api/v1/executions/{id}", execution).then().body("status", equalTo("WAITING"));

        new TestAgent(org).drive(execution);

        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", equalTo("FINISHED"))
                .body("results.find { it.actionId == 'child' }.output.status", equalTo("FINISHED"))
                .body("results.find { it.actionId == 'after' }.output.value", equalTo("hello"));
    }

    @Test
    void aSubflowThatEndsAtOnceLetsItsParentGoOn() {
        TestOrg org = TestOrg.create();
        // The child's only action references what the argument lacks: it fails while the child is being started.
        UUID child = TestWorkflows.save(org, TestWorkflows.resource("single.json").replace("\"$exec\"", "\"$exec.missing\""));
        UUID parent = TestWorkflows.save(org, TestWorkflows.resource("parent.json"));
        UUID execution = TestWorkflows.execute(org, parent, Map.of("child", child.toString(), "value", "v"));

        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", equalTo("EXECUTING"))
                .body("results.find { it.actionId == 'child' }.status", equalTo("SUCCESS"))
                .body("results.find { it.actionId == 'child' }.output.status", equalTo("FINISHED"))
                .body("results.find { it.actionId == 'after' }.status", equalTo("RUNNING"));
        new TestAgent(org).drive(execution);
        org.reader().when().get("/api/v1/executions/{id}", execution).then()
                .body("status", equalTo("FINISHED"))
                .body("results.find { it.actionId == 'after' }.output", equalTo(null));
    }

    @Test
    void executionEventsArePublishedToKafka() throws Exception {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(ExecutionEvents.TOPIC, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            TestOrg org = TestOrg.create();
            UUID workflow = TestWorkflows.save(org, TestWorkflows.resource("single.json"));
            String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
            UUID execution = UUID.fromString(org.user().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                    .body(Map.of("argument", "e")).when().post("/api/v1/workflows/{id}/execute", workflow)
                    .then().statusCode(202).extract().path("executionId"));
            new TestAgent(org).drive(execution);

            List<JsonNode> events = new ArrayList<>();
            List<String> traceparents = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().equals(execution.toString())) {
                        events.add(JSON.readTree(record.value()));
                        Header traceparent = record.headers().lastHeader("traceparent");
                        traceparents.add(traceparent == null ? null
                                : new String(traceparent.value(), StandardCharsets.UTF_8));
                    }
                }
                return events.size() >= 3;
            });
            assertThat(traceparents).as("every event continues the trace of the execute request, even the ones a "
                    + "worker's result caused").hasSize(3).allMatch(t -> t != null
                    && t.matches("00-" + traceId + "-[0-9a-f]{16}-01"));
            assertThat(events).extracting(e -> e.at("/payload/type").asText()).containsExactly(
                    ExecutionEvents.STARTED, ExecutionEvents.ACTION_FINISHED, ExecutionEvents.FINISHED);
            assertThat(events.get(2).at("/payload/status").asText()).isEqualTo("FINISHED");
            assertThat(events.get(1).at("/payload/actionId").asText()).isEqualTo("step");
            assertThat(events.get(0).get("topic").asText()).isEqualTo(ExecutionEvents.TOPIC);
            assertThat(events.get(0).get("correlationId").asText()).isEqualTo(execution.toString());
        }
    }
}
