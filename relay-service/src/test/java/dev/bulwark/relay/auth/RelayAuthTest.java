package dev.bulwark.relay.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.relay.support.ConfigurationTokens;
import dev.bulwark.relay.support.Relay;
import dev.bulwark.relay.support.ThirdPartyServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = ThirdPartyServer.class, scope = TestResourceScope.GLOBAL)
class RelayAuthTest {

    /** Every relay route behind a token, with a body it accepts. */
    private static final Map<String, String> PROTECTED = new LinkedHashMap<>();

    static {
        String observables = Relay.observables("ip", "192.0.2.77");
        PROTECTED.put("/health", null);
        PROTECTED.put("/observe/observables", observables);
        PROTECTED.put("/deliberate/observables", observables);
        PROTECTED.put("/refer/observables", observables);
        PROTECTED.put("/respond/observables", observables);
        PROTECTED.put("/respond/trigger", "{\"action-id\":\"mark-clean\",\"observable_type\":\"ip\","
                + "\"observable_value\":\"192.0.2.77\"}");
        PROTECTED.put("/tiles", null);
        PROTECTED.put("/tiles/tile", "{\"tile_id\":\"bulwark-recent-sightings\"}");
        PROTECTED.put("/tiles/tile-data", "{\"tile_id\":\"bulwark-recent-sightings\",\"period\":\"last_7_days\"}");
    }

    @BeforeEach
    void publishPlatformJwks() {
        ConfigurationTokens.publishJwks();
    }

    @Test
    void everyProtectedRouteAnswersTheRelayFamilysAuthorizationErrors() {
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("Basic dXNlcjpwYXNz", "Wrong authorization type");
        refusals.put("Bearer", "Wrong authorization type");
        refusals.put("Bearer not-a-jwt", "Wrong JWT structure");
        refusals.put("Bearer e30.bm90IGpzb24.c2ln", "Wrong JWT structure");
        refusals.put(bearer(TestTokens.tampered(Roles.RELAY_CLIENT)), "Failed to decode JWT with provided key");
        refusals.put(bearer(TestTokens.signedByUntrustedKey(Roles.RELAY_CLIENT)),
                "Failed to decode JWT with provided key");
        refusals.put(bearer(TestTokens.expired(Roles.RELAY_CLIENT)), "Token has expired");
        refusals.put(bearer(ConfigurationTokens.builder().kid("no-such-kid").build()),
                "kid from JWT header not found in API response");
        refusals.put(bearer(ConfigurationTokens.builder().audience("https://attacker.example").build()),
                "Wrong configuration-token-audience");
        refusals.put(bearer(ConfigurationTokens.builder().jwksHost("attacker.example").build()),
                "Wrong jwks_host in JWT payload: the host is not allow-listed");
        refusals.put(bearer(ConfigurationTokens.builder().jwksHost(null).build()), "jwks_host is missing in JWT payload");
        refusals.put(bearer(ConfigurationTokens.builder().rogueKey().build()), "Failed to decode JWT with provided key");
        refusals.put(bearer(ConfigurationTokens.builder().expiresAt(Instant.now().minusSeconds(600)).build()),
                "Token has expired");
        refusals.put(bearer(ConfigurationTokens.builder().withoutExpiry().build()), "Wrong JWT payload structure");
        refusals.put(bearer(ConfigurationTokens.builder().buildHs256("another-secret-of-more-than-32-bytes")),
                "Failed to decode JWT with provided key");
        refusals.put(bearer(ConfigurationTokens.builder().withoutExpiry().buildHs256(ConfigurationTokens.SECRET)),
                "Wrong JWT payload structure");

        for (Map.Entry<String, String> route : PROTECTED.entrySet()) {
            refused(route.getKey(), route.getValue(), null, "authorization error",
                    "Authorization failed: Authorization header is missing");
            for (Map.Entry<String, String> refusal : refusals.entrySet()) {
                refused(route.getKey(), route.getValue(), refusal.getKey(), "authorization error",
                        "Authorization failed: " + refusal.getValue());
            }
            refused(route.getKey(), route.getValue(), bearer(TestTokens.withRoles(Roles.WORKER)), "permission denied",
                    "Authorization failed: the token's roles do not allow using the relay");
        }
    }

    @Test
    void eachTokenModeIsAdmittedOnEveryProtectedRoute() {
        String[] tokens = {Relay.clientToken(), Relay.adminToken(), ConfigurationTokens.valid(),
                ConfigurationTokens.builder().buildHs256(ConfigurationTokens.SECRET)};
        for (Map.Entry<String, String> route : PROTECTED.entrySet()) {
            for (String token : tokens) {
                Relay.post(route.getKey(), token, route.getValue())
                        .statusCode(200).body("$", hasKey("data"))
                        .body("errors.code", not(hasItem("authorization error")));
            }
        }
        Relay.post("/health", Relay.clientToken(), null).body("data.status", equalTo("ok"));
    }

    @Test
    void platformKeysAreCachedAndRefetchedOnlyForAnUnknownKid() {
        Relay.post("/health", ConfigurationTokens.valid(), null).body("data.status", equalTo("ok"));
        Relay.thirdParty().resetRequests();
        for (int i = 0; i < 5; i++) {
            Relay.post("/health", ConfigurationTokens.valid(), null).body("data.status", equalTo("ok"));
        }
        Relay.thirdParty().verifyThat(exactly(0), getRequestedFor(urlEqualTo("/.well-known/jwks")));
        Relay.post("/health", ConfigurationTokens.builder().kid("rotated-key").build(), null)
                .body("errors[0].message", equalTo("Authorization failed: kid from JWT header not found in API response"));
        Relay.thirdParty().verifyThat(exactly(1), getRequestedFor(urlEqualTo("/.well-known/jwks")));
        Relay.post("/health", ConfigurationTokens.builder().jwksHost("attacker.example").build(), null);
        Relay.thirdParty().verifyThat(exactly(1), getRequestedFor(urlEqualTo("/.well-known/jwks")));
    }

    @Test
    void aSlowJwksHostTimesOutInsteadOfHoldingTheRequest() {
        Relay.thirdParty().register(get(urlEqualTo("/.well-known/jwks")).withHost(WireMock.equalTo("127.0.0.1"))
                .atPriority(1).willReturn(aResponse().withFixedDelay(5000).withBody("{\"keys\":[]}")));
        long start = System.nanoTime();
        Relay.post("/health", ConfigurationTokens.builder().jwksHost(Relay.slowJwksHost()).build(), null)
                .statusCode(200)
                .body("errors", contains(Map.of("type", "fatal", "code", "authorization error",
                        "message", "Authorization failed: JWKS of the jwks_host could not be fetched")));
        assertTrue(System.nanoTime() - start < 4_000_000_000L, "the fetch timeout (1 s) bounds the request");
    }

    @Test
    void unknownRoutesAndWrongMethodsKeepTheirStatus() {
        given().auth().oauth2(Relay.clientToken()).when().get("/observe/observables")
                .then().statusCode(405).body("status", equalTo(405));
        given().auth().oauth2(Relay.clientToken()).when().post("/observe/nothing")
                .then().statusCode(404).body("status", equalTo(404));
        given().when().get("/health").then().statusCode(405);
    }

    @Test
    void versionAndWatchdogNeedNoToken() {
        given().when().post("/version").then().statusCode(200)
                .body("version", startsWith("0.1.0")).body("$", not(hasKey("data")));
        given().header("Health-Check", "ping-42").when().get("/watchdog")
                .then().statusCode(200).body("data", equalTo("ping-42"));
        given().when().get("/watchdog").then().statusCode(200)
                .body("errors", contains(Map.of("type", "fatal", "code", "health check failed",
                        "message", "Invalid Health Check")));
    }

    private static void refused(String path, String body, String authorization, String code, String message) {
        var request = given().contentType("application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.body(body);
        }
        request.when().post(path)
                .then().statusCode(200)
                .body("$", not(hasKey("data")))
                .body("errors", contains(Map.of("type", "fatal", "code", code, "message", message)));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
