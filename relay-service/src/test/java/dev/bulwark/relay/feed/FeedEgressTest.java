package dev.bulwark.relay.feed;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.relay.support.Relay;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Feed downloads pass the suite's egress policy; only 127.0.0.0/8 (the test feed server) is allow-listed. */
@QuarkusTest
class FeedEgressTest {

    @Test
    void internalDestinationsAreRefusedAtCreation() {
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", "http://10.20.30.40/feed.csv",
                "https://192.168.1.1/feed.csv", "http://[fd00::1]/feed.csv"}) {
            given().auth().oauth2(Relay.adminToken()).contentType(ContentType.JSON)
                    .body(Map.of("name", Relay.unique("internal"), "url", url, "format", "csv", "disposition", 2))
                    .when().post("/api/v1/feeds")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("type", endsWith("egress-refused"))
                    .body("detail", containsString("is refused by the egress policy"));
        }
    }

    @Test
    void aRedirectToAnInternalDestinationIsARecordedFailure() {
        String path = "/feeds/" + Relay.unique("redirect") + ".csv";
        Relay.thirdParty().register(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data/iam")));
        String id = create("http://" + Relay.jwksHost() + path + "?token=t0p-secret");

        given().auth().oauth2(Relay.adminToken()).when().post("/api/v1/feeds/" + id + "/pull")
                .then().statusCode(400).body("type", endsWith("egress-refused"))
                .body("detail", containsString("169.254.169.254 is a link-local address"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(Relay.adminToken()).when().get("/api/v1/feeds/" + id)
                        .then().statusCode(200)
                        .body("lastOutcome", startsWith("failed: "))
                        .body("lastOutcome", containsString("refused by the egress policy"))
                        .body("lastOutcome", not(containsString("t0p-secret"))));
        given().auth().oauth2(Relay.adminToken()).when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aFeedOverTheSizeLimitIsARecordedFailure() {
        String path = "/feeds/" + Relay.unique("large") + ".csv";
        Relay.thirdParty().register(get(urlEqualTo(path)).willReturn(aResponse()
                .withBody("198.51.100.1\n".repeat(100_000))));
        String id = create("http://" + Relay.jwksHost() + path);

        given().auth().oauth2(Relay.adminToken()).when().post("/api/v1/feeds/" + id + "/pull")
                .then().statusCode(503).body("detail", equalTo("feed is larger than 1048576 bytes"));
        given().auth().oauth2(Relay.adminToken()).when().get("/api/v1/feeds/" + id)
                .then().body("lastOutcome", equalTo("failed: feed is larger than 1048576 bytes"));
    }

    private static String create(String url) {
        return given().auth().oauth2(Relay.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", Relay.unique("egress"), "url", url, "format", "csv", "disposition", 2,
                        "intervalSeconds", 3600))
                .when().post("/api/v1/feeds")
                .then().statusCode(201).extract().path("id");
    }
}
