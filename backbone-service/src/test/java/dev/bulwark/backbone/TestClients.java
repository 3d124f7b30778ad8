package dev.bulwark.backbone;

import static io.restassured.RestAssured.given;

import dev.bulwark.common.testing.WorkflowServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** Registers real clients through the admin API (so their service accounts exist at the real issuer). */
public final class TestClients {

    /** Client ids this JVM registered, with the token supplier of the admin of their organisation. */
    private static final Map<String, Supplier<String>> REGISTERED = new LinkedHashMap<>();
    private static String adminToken;
    private static Instant adminTokenAt = Instant.EPOCH;
    private static String otherAdminToken;
    private static Instant otherAdminTokenAt = Instant.EPOCH;

    private TestClients() {
    }

    /** A registered client with a real token of its own. */
    public record Registered(String clientId, String secret, String token, String webhookSecret) {
    }

    /** A topic root no other test uses, so tests can share the broker. */
    public static String uniqueRoot() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static synchronized String adminToken() {
        if (adminToken == null || adminTokenAt.isBefore(Instant.now().minus(Duration.ofMinutes(5)))) {
            adminToken = RealIssuer.workflow().adminToken();
            adminTokenAt = Instant.now();
        }
        return adminToken;
    }

    /**
     * A token of an admin of a second organisation at the real issuer: the bootstrap admin created it at the
     * issuer's start (becoming its admin), and signs in to it.
     */
    public static synchronized String otherAdminToken() {
        String otherOrg = RealIssuer.otherOrg();
        if (otherAdminToken == null || otherAdminTokenAt.isBefore(Instant.now().minus(Duration.ofMinutes(5)))) {
            otherAdminToken = given().baseUri(RealIssuer.workflow().url()).contentType(ContentType.JSON)
                    .body(Map.of("grant_type", "password", "username", WorkflowServiceProcess.ADMIN_EMAIL,
                            "password", WorkflowServiceProcess.ADMIN_PASSWORD, "org", otherOrg))
                    .when().post("/api/v1/auth/token")
                    .then().statusCode(200).extract().path("access_token");
            otherAdminTokenAt = Instant.now();
        }
        return otherAdminToken;
    }

    public static Registered register(List<String> subscriptions, List<String> publish, boolean broadcast) {
        return register(subscriptions, publish, broadcast, null);
    }

    public static Registered register(List<String> subscriptions, List<String> publish, boolean broadcast,
                                      String webhookUrl) {
        return register(TestClients::adminToken, subscriptions, publish, broadcast, webhookUrl);
    }

    /** Registers a client of the second organisation (see {@link #otherAdminToken()}). */
    public static Registered registerInOtherOrg(List<String> subscriptions, List<String> publish, boolean broadcast) {
        return register(TestClients::otherAdminToken, subscriptions, publish, broadcast, null);
    }

    private static Registered register(Supplier<String> admin, List<String> subscriptions, List<String> publish,
                                       boolean broadcast, String webhookUrl) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "client-" + UUID.randomUUID());
        body.put("subscriptions", subscriptions);
        body.put("publish", publish);
        body.put("broadcast", broadcast);
        if (webhookUrl != null) {
            body.put("webhook", Map.of("url", webhookUrl));
        }
        JsonPath created = given().auth().oauth2(admin.get()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/clients")
                .then().statusCode(201).extract().jsonPath();
        String clientId = created.getString("clientId");
        String secret = created.getString("secret");
        synchronized (REGISTERED) {
            REGISTERED.put(clientId, admin);
        }
        return new Registered(clientId, secret, RealIssuer.workflow().clientCredentialsToken(clientId, secret),
                created.getString("webhook.secret"));
    }

    /** Deletes every client this test JVM registered and that still exists, so test runs leave nothing behind. */
    public static void deleteRegistered() {
        Map<String, Supplier<String>> clients;
        synchronized (REGISTERED) {
            clients = new LinkedHashMap<>(REGISTERED);
            REGISTERED.clear();
        }
        for (Map.Entry<String, Supplier<String>> client : clients.entrySet()) {
            given().auth().oauth2(client.getValue().get()).when().delete("/api/v1/clients/" + client.getKey())
                    .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                            org.hamcrest.Matchers.is(404)));
        }
    }

    public static String send(Registered sender, String topic, Object payload) {
        return given().auth().oauth2(sender.token()).contentType(ContentType.JSON)
                .body(Map.of("topic", topic, "payload", payload))
                .when().post("/api/v1/send")
                .then().statusCode(202).extract().path("id");
    }

    public static List<Map<String, Object>> receive(Registered client, int max) {
        return given().auth().oauth2(client.token())
                .queryParam("max", max)
                .when().get("/api/v1/receive")
                .then().statusCode(200).extract().jsonPath().getList("messages");
    }

    /** Every message now in the client's inbox (in order), taken in as many receives as it needs. */
    public static List<Map<String, Object>> drain(Registered client) {
        List<Map<String, Object>> all = new ArrayList<>();
        List<Map<String, Object>> batch;
        do {
            batch = receive(client, 100);
            all.addAll(batch);
        } while (!batch.isEmpty());
        return all;
    }

    public static List<String> ids(List<Map<String, Object>> messages) {
        return messages.stream().map(m -> (String) m.get("id")).toList();
    }
}
