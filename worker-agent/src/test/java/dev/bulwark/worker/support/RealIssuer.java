package dev.bulwark.worker.support;

import static io.restassured.RestAssured.given;

import dev.bulwark.common.security.Claims;
import dev.bulwark.common.testing.WorkflowServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Runs the real workflow-service for the module's tests: the agent's upstream, the issuer of its tokens and the
 * queue it claims from, with a service account (role worker) the agent under test claims as.
 */
public class RealIssuer implements QuarkusTestResourceLifecycleManager {

    private static WorkflowServiceProcess workflow;

    @Override
    public Map<String, String> start() {
        workflow = WorkflowServiceProcess.start();
        JsonPath agent = workflow.createServiceAccount("worker-agent-under-test", "worker");
        // The agent's organisation (the bootstrap admin's) may reach test servers by the name localhost; 127.0.0.1
        // stays refused as by default, so a test can show both.
        return Map.of("bulwark.workflow.url", workflow.url(),
                "mp.jwt.verify.publickey.location", workflow.jwksUrl(),
                "bulwark.revocation.url", workflow.revocationUrl(),
                "bulwark.worker.client-id", agent.getString("clientId"),
                "bulwark.worker.client-secret", agent.getString("clientSecret"),
                "bulwark.egress.org.\"" + organisation(workflow.adminToken()) + "\".allow-hosts", "localhost");
    }

    @Override
    public void stop() {
        if (workflow != null) {
            workflow.close();
        }
    }

    /** The {@code org} claim of a token of the issuer. */
    public static String organisation(String token) {
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return new JsonPath(claims).getString(Claims.ORG);
    }

    /** An execution as the bootstrap admin reads it from the real workflow-service. */
    public static JsonPath execution(String executionId) {
        return given().baseUri(workflow().url()).auth().oauth2(workflow().adminToken())
                .when().get("/api/v1/executions/" + executionId).then().statusCode(200).extract().jsonPath();
    }

    public static WorkflowServiceProcess workflow() {
        return workflow;
    }
}
