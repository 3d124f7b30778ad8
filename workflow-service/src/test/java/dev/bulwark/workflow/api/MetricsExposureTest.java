package dev.bulwark.workflow.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Metrics live on the management interface only; the public port serves health, never metrics. */
@QuarkusTest
class MetricsExposureTest {

    @Test
    void thePublicPortShowsNoMetricsAndNoIdentityAfterFailedSignIns() {
        String clientId = "client-" + UUID.randomUUID();
        String email = "someone-" + UUID.randomUUID() + "@example.org";
        given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", "wrong"))
                .when().post("/api/v1/auth/token").then().statusCode(401);
        given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "password", "username", email, "password", "Wrong-Password-1"))
                .when().post("/api/v1/auth/token").then().statusCode(401);

        given().when().get("/q/metrics").then().statusCode(404)
                .body(not(containsString(clientId))).body(not(containsString(email)));
        given().when().get("/q/health/ready").then().statusCode(200);

        int management = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        given().baseUri("http://localhost").port(management).when().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(not(containsString(clientId))).body(not(containsString(email)));
    }
}
