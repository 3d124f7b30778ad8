package dev.bulwark.workflow.execution.domain;

import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.workflow.testing.TestAgent;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ExecutionWatchdogTest {

    @Inject
    ExecutionWatchdog watchdog;

    @Inject
    EntityManager em;

    private void sql(String statement, UUID execution) {
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery(statement).setParameter(1, execution).executeUpdate());
    }

    @Test
    void anExecutionWhoseWorkWasLostEndsInsteadOfStayingStuck() {
        TestOrg org = TestOrg.create();
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")), "lost");
        sql("delete from task where execution_id = ?1", execution);
        watchdog.settleIdle();
        org.reader().when().get("/api/v1/executions/{id}", execution).then().body("status", equalTo("EXECUTING"));

        sql("update execution set updated_at = now() - interval '1 hour' where id = ?1", execution);
        watchdog.settleIdle();
        org.reader().when().get("/api/v1/executions/{id}", execution).then().statusCode(200)
                .body("status", equalTo("FINISHED"))
                .body("results[0].status", equalTo("FAILURE"))
                .body("results[0].error", equalTo("the action's work was lost"));
    }

    @Test
    void anIdleExecutionWaitingForAnAgentIsLeftAlone() {
        TestOrg org = TestOrg.create();
        UUID execution = TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")), "queued");
        sql("update execution set updated_at = now() - interval '1 hour' where id = ?1", execution);
        watchdog.settleIdle();
        org.reader().when().get("/api/v1/executions/{id}", execution).then().body("status", equalTo("EXECUTING"));
        new TestAgent(org).drive(execution);
    }

    @Test
    void finishedExecutionsPastRetentionAreDeleted() {
        TestOrg org = TestOrg.create();
        UUID old = TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")), "old");
        UUID recent = TestWorkflows.execute(org, TestWorkflows.save(org, TestWorkflows.resource("single.json")), "recent");
        new TestAgent(org).drive(old);
        new TestAgent(org).drive(recent);
        sql("update execution set finished_at = now() - interval '31 days' where id = ?1", old);
        watchdog.deleteExpired();
        org.reader().when().get("/api/v1/executions/{id}", old).then().statusCode(404);
        org.reader().when().get("/api/v1/executions/{id}", recent).then().statusCode(200);
    }
}
