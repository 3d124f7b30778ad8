package dev.bulwark.relay.feed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.SecurityContract;
import dev.bulwark.relay.support.Digests;
import dev.bulwark.relay.support.Feeds;
import dev.bulwark.relay.support.Relay;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FeedImportTest {

    @Test
    void importNeedsAnAdminSuiteToken() {
        SecurityContract.assertProtected("POST", "/api/v1/feeds/import?format=csv&source=" + Relay.unique("sec")
                + "&disposition=2", Roles.ADMIN, Roles.RELAY_CLIENT, 200);
        SecurityContract.assertProtected("GET", "/api/v1/indicators?value=192.0.2.1", Roles.RELAY_CLIENT,
                Roles.WORKER, 200);
    }

    @Test
    void csvImportReportsEveryRejectedLineAndReimportChangesNothing() {
        String net = Relay.uniqueNet();
        String domain = Relay.unique("typo") + ".example";
        String source = Relay.unique("csv");
        String csv = Feeds.sample("ioc-list.csv", Map.of("NET", net, "DOMAIN", domain));

        Relay.importFeed("csv", source, 2, csv).statusCode(200)
                .body("added", equalTo(4)).body("updated", equalTo(0)).body("unchanged", equalTo(0))
                .body("rejected.line", contains(5, 6))
                .body("rejected[0].value", equalTo("bad value!!"))
                .body("rejected[0].reason", equalTo("'bad value!!' is not a domain name"))
                .body("rejected[1].reason", equalTo("'" + net + ".999' is not an IP address"));

        Relay.importFeed("csv", source, 2, csv).statusCode(200)
                .body("added", equalTo(0)).body("updated", equalTo(0)).body("unchanged", equalTo(4))
                .body("rejected", hasSize(2));

        Relay.importFeed("csv", source, 2, csv.replace(domain + ",domain,Suspicious", domain + ",domain,Clean"))
                .statusCode(200).body("added", equalTo(0)).body("updated", equalTo(1)).body("unchanged", equalTo(3));

        given().auth().oauth2(Relay.clientToken()).queryParam("value", net + ".0/28")
                .when().get("/api/v1/indicators")
                .then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].type", equalTo("ip")).body("[0].value", equalTo(net + ".0/28"))
                .body("[0].disposition", equalTo(2)).body("[0].dispositionName", equalTo("Malicious"))
                .body("[0].confidence", equalTo("High")).body("[0].severity", equalTo("High"))
                .body("[0].tags", contains("scanner", "internet"))
                .body("[0].description", equalTo("Mass scanner, seen worldwide"))
                .body("[0].source", equalTo(source)).body("[0].tlp", equalTo("green"));
        given().auth().oauth2(Relay.clientToken()).queryParam("value", "https://www." + domain + "/Login?x=1")
                .when().get("/api/v1/indicators")
                .then().statusCode(200).body("[0].type", equalTo("url"))
                .body("[0].value", equalTo("https://www." + domain + "/Login?x=1"));
        given().auth().oauth2(Relay.clientToken()).queryParam("value", domain.toUpperCase())
                .when().get("/api/v1/indicators")
                .then().statusCode(200).body("[0].disposition", equalTo(1)).body("[0].dispositionName", equalTo("Clean"));
    }

    @Test
    void plainListsInferTheTypeOfEachLine() {
        String net = Relay.uniqueNet();
        String md5 = "D41D8CD98F00B204E9800998ECF8427E";
        String list = "# plain list\n" + net + ".1\n2001:DB8:0:0::" + Integer.toHexString(net.hashCode() & 0xffff)
                + "\n" + md5 + "\nphish@" + Relay.unique("mail") + ".example\n\n" + "not a value\n";
        Relay.importFeed("csv", Relay.unique("plain"), 3, list).statusCode(200)
                .body("added", equalTo(4)).body("rejected.line", contains(7));
        given().auth().oauth2(Relay.clientToken()).queryParam("value", md5)
                .when().get("/api/v1/indicators")
                .then().statusCode(200).body("type", everyItem(equalTo("md5")))
                .body("value", everyItem(equalTo(md5.toLowerCase())));
    }

    @Test
    void stixBundleImportsSupportedPatternsAndRejectsTheRest() {
        String net = Relay.uniqueNet();
        String domain = Relay.unique("stix") + ".example";
        String source = Relay.unique("stix");
        String bundle = Feeds.sample("stix-bundle.json", Map.of("NET", net, "DOMAIN", domain, "TAG", "t",
                "SHA256", Digests.sha256(source)));

        Relay.importFeed("stix", source, null, bundle).statusCode(200)
                .body("added", equalTo(4)).body("updated", equalTo(0))
                .body("rejected.id", contains("indicator--7c1d2e3f-0a1b-4c2d-8e3f-4a5b6c7d8e12",
                        "indicator--9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b13"))
                .body("rejected[0].reason", startsWith("unsupported STIX pattern near 'FOLLOWEDBY"))
                .body("rejected[1].reason", equalTo("'" + net + ".300' is not an IP address"))
                .body("rejected[0].line", nullValue());
        Relay.importFeed("stix", source, null, bundle).statusCode(200)
                .body("added", equalTo(0)).body("updated", equalTo(0)).body("unchanged", equalTo(4));

        given().auth().oauth2(Relay.clientToken()).queryParam("value", "mail." + domain)
                .when().get("/api/v1/indicators")
                .then().statusCode(200)
                .body("[0].disposition", equalTo(3)).body("[0].confidence", equalTo("Medium"))
                .body("[0].validUntil", startsWith("2099-01-01T00:00"))
                .body("[0].externalId", equalTo("indicator--2f3c6b1e-4b8e-4a44-9a65-0f0c1a7e5d10"));
        given().auth().oauth2(Relay.clientToken()).queryParam("value", Digests.sha256(source)).queryParam("type", "sha256")
                .when().get("/api/v1/indicators")
                .then().statusCode(200).body("[0].disposition", equalTo(1)).body("[0].tags", contains("benign"));
    }

    @Test
    void mispEventImportsAttributesOfEventAndObjects() {
        String net = Relay.uniqueNet();
        String domain = Relay.unique("misp") + ".example";
        String md5 = Digests.md5(domain);
        String source = Relay.unique("misp");
        String event = Feeds.sample("misp-event.json", Map.of("NET", net, "DOMAIN", domain, "TAG", "t", "MD5", md5));

        Relay.importFeed("misp", source, null, event).statusCode(200)
                .body("added", equalTo(4))
                .body("rejected.id", contains("a1000000-0000-4000-8000-000000000003",
                        "a1000000-0000-4000-8000-000000000004"))
                .body("rejected[0].reason", equalTo("unsupported MISP attribute type 'text'"))
                .body("rejected[1].reason", equalTo("'not-an-address' is not an e-mail address"));
        Relay.importFeed("misp", source, null, event).statusCode(200)
                .body("added", equalTo(0)).body("unchanged", equalTo(4));

        given().auth().oauth2(Relay.clientToken()).queryParam("value", net + ".6")
                .when().get("/api/v1/indicators")
                .then().statusCode(200)
                .body("[0].disposition", equalTo(2)).body("[0].severity", equalTo("High"))
                .body("[0].tlp", equalTo("red")).body("[0].tags", contains("malware:loader"))
                .body("[0].externalReferences[0].source_name", equalTo("MISP"))
                .body("[0].externalReferences[0].external_id", equalTo("5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b"));
        given().auth().oauth2(Relay.clientToken()).queryParam("value", domain)
                .when().get("/api/v1/indicators")
                .then().statusCode(200).body("[0].disposition", equalTo(3));
    }

    /** Twenty thousand lines in one request, twice: writes are chunked, not one query per line. */
    @Test
    void largeListsImportAndReimportInOnePass() {
        String source = Relay.unique("large");
        String base = Relay.unique("l");
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            list.append("host").append(i).append('.').append(base).append(".example\n");
        }
        Relay.importFeed("csv", source, 2, list.toString()).statusCode(200).body("added", equalTo(20_000));
        Relay.importFeed("csv", source, 2, list.toString().replace("host7.", "HOST7.")).statusCode(200)
                .body("added", equalTo(0)).body("updated", equalTo(0)).body("unchanged", equalTo(20_000));
        given().auth().oauth2(Relay.clientToken()).queryParam("value", "host19999." + base + ".example")
                .when().get("/api/v1/indicators").then().statusCode(200).body("", hasSize(1));
    }

    @Test
    void badImportsAreProblemDocuments() {
        given().auth().oauth2(Relay.adminToken()).body("x").queryParam("format", "xml").queryParam("source", "s")
                .when().post("/api/v1/feeds/import")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("format must be stix, misp or csv"));
        Relay.importFeed("csv", "s", null, "1.2.3.4").statusCode(400)
                .body("detail", equalTo("a CSV list needs a declared default disposition (1-5)"));
        Relay.importFeed("stix", "s", null, "{not json").statusCode(400)
                .body("detail", startsWith("The body is not JSON (STIX 2.1 bundle expected)"));
        Relay.importFeed("stix", "s", null, "{\"type\":\"indicator\"}").statusCode(400)
                .body("detail", containsString("not a STIX 2.1 bundle"));
        Relay.importFeed("misp", "s", 9, "{}").statusCode(400)
                .body("detail", startsWith("disposition must be 1 (Clean)"));
        Relay.importFeed("misp", "s", null, "{\"Event\":{}}").statusCode(200)
                .body("added", equalTo(0)).body("rejected", empty());
    }
}
