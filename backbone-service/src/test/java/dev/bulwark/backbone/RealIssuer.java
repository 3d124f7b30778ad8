package dev.bulwark.backbone;

import static io.restassured.RestAssured.given;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.WorkflowServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the real workflow-service for the module's tests: it creates the clients' service accounts and tokens. It
 * also creates the second organisation of the tenancy tests and the service accounts that the backbone's
 * configuration declares as clients (see {@code DeclaredClientTest}), since declarations are read at start.
 */
public class RealIssuer implements QuarkusTestResourceLifecycleManager {

    /** A service account at the issuer. */
    public record Account(String clientId, String secret) {
        public String token() {
            return workflow.clientCredentialsToken(clientId, secret);
        }
    }

    /** The topics the declared clients may use: {@code <root>.#}. */
    public static final String DECLARED_ROOT = TestClients.uniqueRoot();

    private static WorkflowServiceProcess workflow;
    private static String orgA;
    private static String orgB;
    private static Account sender;
    private static Account listener;
    private static Account misplaced;
    private static Account undeclared;

    @Override
    public Map<String, String> start() {
        workflow = WorkflowServiceProcess.start();
        String admin = workflow.adminToken();
        orgA = org(admin);
        orgB = given().baseUri(workflow.url()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "org-b-" + UUID.randomUUID()))
                .when().post("/api/v1/orgs")
                .then().statusCode(201).extract().path("id");
        // As the dispatcher's declared account: its own service role, plus backbone-client for the backbone.
        sender = account("declared-sender", Roles.DISPATCHER, Roles.BACKBONE_CLIENT);
        listener = account("declared-listener", Roles.BACKBONE_CLIENT);
        misplaced = account("declared-misplaced", Roles.DISPATCHER, Roles.BACKBONE_CLIENT);
        undeclared = account("undeclared-sender", Roles.DISPATCHER, Roles.BACKBONE_CLIENT);

        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.rest-client.issuer.url", workflow.url(),
                "mp.jwt.verify.publickey.location", workflow.jwksUrl(),
                "bulwark.revocation.url", workflow.revocationUrl()));
        String prefix = "bulwark.backbone.declared-clients.";
        // No organisation: bound to the organisation of its first token, as the suite's accounts are declared.
        config.put(prefix + "test-sender.subject", sender.clientId());
        config.put(prefix + "test-sender.publish", DECLARED_ROOT + ".#");
        config.put(prefix + "test-listener.subject", listener.clientId());
        config.put(prefix + "test-listener.organisation", orgA);
        config.put(prefix + "test-listener.subscriptions", DECLARED_ROOT + ".#");
        // Declared into organisation B although its account (and so its every token) belongs to A.
        config.put(prefix + "test-misplaced.subject", misplaced.clientId());
        config.put(prefix + "test-misplaced.organisation", orgB);
        config.put(prefix + "test-misplaced.publish", DECLARED_ROOT + ".#");
        return config;
    }

    private static Account account(String name, String... roles) {
        JsonPath created = workflow.createServiceAccount(name + "-" + UUID.randomUUID(), roles);
        return new Account(created.getString("clientId"), created.getString("clientSecret"));
    }

    private static String org(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return new JsonPath(payload).getString("org");
    }

    @Override
    public void stop() {
        if (workflow != null) {
            workflow.close();
        }
    }

    public static WorkflowServiceProcess workflow() {
        return workflow;
    }

    /** The second organisation at the issuer; the bootstrap admin is its admin. */
    public static String otherOrg() {
        return orgB;
    }

    public static String bootstrapOrg() {
        return orgA;
    }

    public static Account declaredSender() {
        return sender;
    }

    public static Account declaredListener() {
        return listener;
    }

    public static Account misplacedDeclared() {
        return misplaced;
    }

    public static Account undeclared() {
        return undeclared;
    }
}
