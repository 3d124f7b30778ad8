package dev.bulwark.workflow.identity.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.workflow.identity.domain.IdentityFixture;
import dev.bulwark.workflow.identity.domain.IdentityFixture.TestUser;
import dev.bulwark.workflow.identity.domain.OrgRole;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Brute-force delays that a stranger cannot turn against the owner. Requests really come from different source
 * addresses: Linux routes all of 127.0.0.0/8 to the loopback interface, so the client binds its socket to a random
 * 127.x.y.z for the stranger, and the owner signs in from 127.0.0.1. (The test profile's first delay is 30 s.)
 */
@QuarkusTest
class SignInDelaysTest {

    private static final String OWNER_ADDRESS = "127.0.0.1";

    @Test
    void aStrangersFailuresDelayOnlyTheStrangersAddressAndTheOwnerStillSignsIn() {
        TestUser owner = IdentityFixture.newOrgWith(OrgRole.USER);
        String stranger = strangerAddress();
        for (int i = 0; i < 4; i++) {
            password(stranger, owner.email(), "Wrong-Password-" + i).then().statusCode(401);
        }

        password(stranger, owner.email(), IdentityFixture.PASSWORD)
                .then().statusCode(429)
                .contentType(startsWith("application/problem+json"))
                .header("Retry-After", notNullValue())
                .body("status", equalTo(429));
        password(OWNER_ADDRESS, owner.email(), IdentityFixture.PASSWORD).then().statusCode(200);
    }

    @Test
    void theFreeFailuresAnswer401AndASuccessForgetsThem() {
        TestUser user = IdentityFixture.newOrgWith(OrgRole.READER);
        String address = strangerAddress();
        for (int i = 0; i < 3; i++) {
            password(address, user.email(), "Wrong-Password-" + i).then().statusCode(401);
        }
        password(address, user.email(), IdentityFixture.PASSWORD).then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            password(address, user.email(), "Wrong-Password-" + i).then().statusCode(401);
        }
        password(address, user.email(), IdentityFixture.PASSWORD).then().statusCode(200);
    }

    @Test
    void aDelayedRequestIsAnsweredBeforeAnyPasswordCheck() {
        TestUser user = IdentityFixture.newOrgWith(OrgRole.USER);
        String address = strangerAddress();
        for (int i = 0; i < 4; i++) {
            password(address, user.email(), "Wrong-Password-" + i).then().statusCode(401);
        }
        long retryAfter = Long.parseLong(password(address, user.email(), "Wrong-Password-x")
                .then().statusCode(429).extract().header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 30, "Retry-After " + retryAfter);
        // A refused attempt is not a failure: it neither checks the password nor lengthens the delay.
        long again = Long.parseLong(password(address, user.email(), IdentityFixture.PASSWORD)
                .then().statusCode(429).extract().header("Retry-After"));
        assertTrue(again <= retryAfter, again + " > " + retryAfter);
    }

    @Test
    void sprayingManyAccountsFromOneAddressDelaysThatAddress() {
        TestUser bystander = IdentityFixture.newOrgWith(OrgRole.USER);
        String sprayer = strangerAddress();
        for (int i = 0; i < 20; i++) {
            password(sprayer, "nobody-" + UUID.randomUUID() + "@example.org", "Wrong-Password-1")
                    .then().statusCode(401);
        }
        password(sprayer, "nobody-" + UUID.randomUUID() + "@example.org", "Wrong-Password-1")
                .then().statusCode(401);

        password(sprayer, bystander.email(), IdentityFixture.PASSWORD)
                .then().statusCode(429).header("Retry-After", notNullValue());
        password(OWNER_ADDRESS, bystander.email(), IdentityFixture.PASSWORD).then().statusCode(200);
    }

    @Test
    void aStrangerCannotDelayAServiceAccountFromItsOwnAddress() {
        String admin = Login.password(IdentityFixture.newOrgWith(OrgRole.ADMIN));
        JsonPath created = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "worker-" + UUID.randomUUID(), "roles", List.of("worker")))
                .when().post("/api/v1/service-accounts")
                .then().statusCode(201).extract().jsonPath();
        String clientId = created.getString("clientId");
        String stranger = strangerAddress();
        for (int i = 0; i < 4; i++) {
            clientCredentials(stranger, clientId, "wrong-secret-" + i).then().statusCode(401);
        }

        clientCredentials(stranger, clientId, created.getString("clientSecret")).then().statusCode(429);
        clientCredentials(OWNER_ADDRESS, clientId, created.getString("clientSecret")).then().statusCode(200);
    }

    @Test
    void aStrangerCannotDelayAnApiKeyFromItsOwnAddress() {
        TestUser user = IdentityFixture.newOrgWith(OrgRole.USER);
        String session = Login.password(user);
        String apiKey = given().auth().oauth2(session).contentType(ContentType.JSON).body(Map.of("name", "ci"))
                .when().post("/api/v1/api-keys").then().statusCode(201).extract().path("apiKey");
        String wrong = apiKey.substring(0, apiKey.lastIndexOf('_') + 1) + "x".repeat(43);
        String stranger = strangerAddress();
        for (int i = 0; i < 4; i++) {
            apiKey(stranger, wrong).then().statusCode(401);
        }

        apiKey(stranger, apiKey).then().statusCode(429);
        apiKey(OWNER_ADDRESS, apiKey).then().statusCode(200);
    }

    private static Response password(String from, String email, String password) {
        return from(from).body(Map.of("grant_type", "password", "username", email, "password", password))
                .when().post("/api/v1/auth/token");
    }

    private static Response clientCredentials(String from, String clientId, String secret) {
        return from(from).body(Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret)).when().post("/api/v1/auth/token");
    }

    private static Response apiKey(String from, String key) {
        return from(from).body(Map.of("grant_type", "api_key", "api_key", key)).when().post("/api/v1/auth/token");
    }

    /** A request whose TCP connection leaves from {@code address}, to the service on 127.0.0.1. */
    private static RequestSpecification from(String address) {
        try {
            InetAddress local = InetAddress.getByName(address);
            return given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                            .setParam("http.route.local-address", local)))
                    .baseUri("http://127.0.0.1").port(RestAssured.port)
                    .contentType(ContentType.JSON);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh loopback address for each test and run, so earlier runs' counts never interfere. */
    private static String strangerAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
    }
}
