package dev.bulwark.relay.feed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.relay.support.Relay;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The import body limit (issue 13) and the ready-to-import samples the README uses (issue 17). */
@QuarkusTest
class ImportLimitsAndSamplesTest {

    @Test
    void anImportBodyOverTheLimitIs413AndImportsNothing() {
        long max = ConfigProvider.getConfig().getValue("bulwark.relay.feeds.max-bytes", Long.class);
        String ip = Relay.uniqueNet() + ".3";
        String head = "value\n" + ip + "\n#";
        String atLimit = head + "x".repeat((int) (max - head.length()));
        String source = Relay.unique("limit");

        given().auth().oauth2(Relay.adminToken()).contentType(ContentType.TEXT).body(atLimit + "x")
                .queryParam("format", "csv").queryParam("source", source).queryParam("disposition", 2)
                .when().post("/api/v1/feeds/import")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://bulwark.dev/problems/payload-too-large"))
                .body("status", equalTo(413))
                .body("detail", equalTo("The feed is larger than " + max + " bytes (bulwark.relay.feeds.max-bytes); "
                        + "split it or import it as a scheduled file: feed"));
        given().auth().oauth2(Relay.clientToken()).queryParam("value", ip).when().get("/api/v1/indicators")
                .then().statusCode(200).body("", empty());

        Relay.importFeed("csv", source, 2, atLimit).statusCode(200).body("added", equalTo(1))
                .body("rejected", empty());
    }

    @Test
    void theShippedSamplesImportWithoutARejectionAndAnswerTheReadmesLookups() throws IOException {
        Relay.importFeed("stix", "sample-stix", null, sample("stix-bundle.json")).statusCode(200)
                .body("rejected", empty());
        Relay.importFeed("misp", "sample-misp", null, sample("misp-event.json")).statusCode(200)
                .body("rejected", empty());
        Relay.importFeed("csv", "sample-csv", 2, sample("iocs.csv")).statusCode(200)
                .body("rejected", empty());

        given().auth().oauth2(Relay.clientToken()).queryParam("value", "login-update.example")
                .when().get("/api/v1/indicators").then().statusCode(200).body("source", contains("sample-stix"));
        Relay.post("/deliberate/observables", Relay.clientToken(), Relay.observables("ip", "203.0.113.130",
                        "domain", "www.login-update.example", "email", "invoices@cdn-loader.example"))
                .statusCode(200)
                .body("data.verdicts.docs.observable.value", contains("203.0.113.130", "www.login-update.example",
                        "invoices@cdn-loader.example"))
                .body("data.verdicts.docs.disposition_name", contains("Malicious", "Suspicious", "Malicious"));
    }

    private static String sample(String name) throws IOException {
        return Files.readString(Path.of("samples", name));
    }
}
