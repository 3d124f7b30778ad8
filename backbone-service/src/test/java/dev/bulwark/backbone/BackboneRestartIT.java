package dev.bulwark.backbone;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.common.testing.WorkflowServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged backbone is killed (no graceful shutdown) while messages wait in an inbox, then started again: every
 * message is still there, once, in order.
 */
class BackboneRestartIT {

    private static WorkflowServiceProcess issuer;
    private static BackboneProcess backbone;

    @BeforeAll
    static void start() {
        issuer = WorkflowServiceProcess.start();
        backbone = new BackboneProcess(issuer, Map.of()).start();
    }

    @AfterAll
    static void stop() {
        if (backbone != null) {
            backbone.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void killingTheBackboneWithMessagesQueuedLosesNone() {
        String url = backbone.url();
        String admin = issuer.adminToken();
        String root = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JsonPath receiver = register(url, admin, List.of(root + ".#"), List.of());
        JsonPath sender = register(url, admin, List.of(), List.of(root + ".#"));
        String receiverToken = issuer.clientCredentialsToken(receiver.getString("clientId"),
                receiver.getString("secret"));
        String senderToken = issuer.clientCredentialsToken(sender.getString("clientId"), sender.getString("secret"));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sent.add(given().baseUri(url).auth().oauth2(senderToken).contentType(ContentType.JSON)
                    .body(Map.of("topic", root + ".m", "payload", Map.of("n", i)))
                    .when().post("/api/v1/send").then().statusCode(202).extract().<String>path("id"));
        }

        backbone.kill();
        backbone.start();

        List<String> received = new ArrayList<>();
        List<String> batch;
        do {
            batch = given().baseUri(url).auth().oauth2(receiverToken).queryParam("max", 10)
                    .when().get("/api/v1/receive")
                    .then().statusCode(200).extract().jsonPath().getList("messages.id");
            received.addAll(batch);
        } while (!batch.isEmpty());
        assertEquals(sent, received);
        for (JsonPath client : List.of(receiver, sender)) {
            given().baseUri(url).auth().oauth2(issuer.adminToken())
                    .when().delete("/api/v1/clients/" + client.getString("clientId")).then().statusCode(200);
        }
    }

    static JsonPath register(String url, String admin, List<String> subscriptions, List<String> publish) {
        return given().baseUri(url).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "process-" + UUID.randomUUID(), "subscriptions", subscriptions,
                        "publish", publish))
                .when().post("/api/v1/clients")
                .then().statusCode(201).extract().jsonPath();
    }
}
