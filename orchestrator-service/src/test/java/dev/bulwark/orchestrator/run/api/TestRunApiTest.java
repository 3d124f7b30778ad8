package dev.bulwark.orchestrator.run.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.SecurityContract;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.TargetApp;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

@QuarkusTest
class TestRunApiTest {

    @Test
    void everyEndpointNeedsAValidTokenWithAnAllowedRole() {
        SecurityContract.assertProtected("GET", "/api/v1/test-runs", Roles.READER, Roles.BACKBONE_CLIENT, 200);
        given().auth().oauth2(TestTokens.withRoles(Roles.READER)).contentType("application/json")
                .body(Jobs.app(1, "/a")).post("/api/v1/test-runs")
                .then().statusCode(403).contentType(startsWith("application/problem+json"));
        given().auth().oauth2(TestTokens.withRoles(Roles.READER)).contentType("application/json")
                .body(Jobs.app(1, "/a")).post("/api/v1/test-plans").then().statusCode(403);
        given().contentType("application/json").body(Jobs.app(1, "/a")).post("/api/v1/test-plans")
                .then().statusCode(401);
        String run = "/api/v1/test-runs/" + UUID.randomUUID();
        for (String path : List.of(run, run + "/outcomes", run + "/feedback/app", run + "/feedback/app/poll")) {
            given().get(path).then().statusCode(401).contentType(startsWith("application/problem+json"));
            given().auth().oauth2(TestTokens.withRoles(Roles.BACKBONE_CLIENT)).get(path).then().statusCode(403);
            given().auth().oauth2(TestTokens.withRoles(Roles.READER)).get(path).then().statusCode(404);
        }
        given().auth().oauth2(TestTokens.withRoles(Roles.READER)).delete(run).then().statusCode(403);
    }

    @Test
    void aTestPlanDescribesEachTesterWithoutSendingTraffic() {
        try (TargetApp target = TargetApp.planted()) {
            given().auth().oauth2(Runs.userToken()).contentType("application/vnd.api+json")
                    .body(Jobs.job("BrowserApp", "http", target.port(), true, true, List.of("/profile")))
                    .post("/api/v1/test-plans")
                    .then().statusCode(200)
                    .body("testers.name", containsInAnyOrder("app", "tls"))
                    .body("testers.find { it.name == 'app' }.active", equalTo(true))
                    .body("testers.find { it.name == 'app' }.sessions", containsInAnyOrder("lowPrivUser"))
                    .body("testers.find { it.name == 'app' }.plan", startsWith("Session lowPrivUser: sign in"))
                    .body("testers.find { it.name == 'tls' }.active", equalTo(false))
                    .body("testers.find { it.name == 'tls' }.plan",
                            equalTo("Inactive: the system under test is not served over https"));
            assertThat(target.requests()).isZero();
        }
    }

    @Test
    void anInvalidJobIsRejectedWithEveryProblemAndItsPath() {
        String job = """
                {"data": {"type": "Desktop", "attributes": {"sutIp": "bad host!", "sutPort": 70000, "sutProtocol": "ftp",
                  "sutAuthentication": {"emissaryAuthenticationStrategy": "FormStandard", "route": "login"}}},
                 "included": [
                   {"type": "appScanner", "id": "u1", "relationships": {"data": [{"type": "route", "id": "/nope"}]}},
                   {"type": "route", "id": "/a", "attributes": {"method": "BREW", "attackFields": [{"value": 1}]}},
                   {"type": "zapScanner", "id": "z"}]}""";
        given().auth().oauth2(Runs.userToken()).contentType("application/json").body(job)
                .post("/api/v1/test-runs")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.field", hasItems("data.type", "data.attributes.sutIp", "data.attributes.sutPort",
                        "data.attributes.sutProtocol", "data.attributes.sutAuthentication.route",
                        "data.attributes.sutAuthentication.usernameFieldLocater",
                        "included[0].relationships.data[0].id", "included[0].attributes",
                        "included[1].attributes.method", "included[1].attributes.attackFields[0].name",
                        "included[2].type"))
                .body("errors.find { it.field == 'included[0].relationships.data[0].id' }.message",
                        equalTo("no route '/nope' in included"));
        given().auth().oauth2(Runs.userToken()).contentType("application/json").body("{\"data\": ")
                .post("/api/v1/test-plans")
                .then().statusCode(400).body("detail", startsWith("The job is not valid JSON"));
    }

    @Test
    void onlyAllowedTargetsMayBeTested() {
        given().auth().oauth2(Runs.userToken()).contentType("application/json")
                .body(Jobs.app(8080, "/a").replace("127.0.0.1", "example.com"))
                .post("/api/v1/test-runs")
                .then().statusCode(400)
                .body("errors.field", hasItem("data.attributes.sutIp"))
                .body("errors[0].message", equalTo("is not one of the targets this service may test"));
    }

    @Test
    void runsAreConfinedToTheirOrganisationAndLimitedPerOrganisation() {
        // an organisation whose egress allow-list admits the test targets (its runs of earlier builds stay listed)
        String org = "confined-org";
        String token = TestTokens.builder().org(org).roles(Roles.USER).build();
        try (TargetApp target = TargetApp.clean()) {
            target.hold();
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile"), token));
            }
            given().auth().oauth2(token).contentType("application/json")
                    .body(Jobs.appWithoutSignIn(target.port(), "/profile"))
                    .post("/api/v1/test-runs")
                    .then().statusCode(409).body("detail", startsWith("The organisation already has 3 running"));
            given().auth().oauth2(Runs.userToken()).get("/api/v1/test-runs/" + runs.get(0)).then().statusCode(404);
            given().auth().oauth2(token).get("/api/v1/test-runs")
                    .then().statusCode(200).body("id", hasItems(runs.toArray(String[]::new)));

            runs.forEach(run -> given().auth().oauth2(token).delete("/api/v1/test-runs/" + run)
                    .then().statusCode(202));
            runs.forEach(run -> await().until(() -> given().auth().oauth2(token)
                    .get("/api/v1/test-runs/" + run).then().extract().path("status").equals("CANCELLED")));
            Runs.start(Jobs.appWithoutSignIn(target.port(), "/profile"), token);
            target.open();
        }
    }

    @Test
    void theOutcomesZipHoldsFindingsJunitAndReportPerTester() throws Exception {
        try (TargetApp target = TargetApp.planted()) {
            String run = Runs.start(Jobs.app(target.port(), "/profile"));
            given().auth().oauth2(Runs.userToken()).get("/api/v1/test-runs/" + run)
                    .then().statusCode(200).body("medium", equalTo("sse"));
            JsonNode ended = Runs.awaitEnded(run);
            int findings = ended.path("testers").get(0).path("findings").asInt();

            Map<String, byte[]> zip = Runs.outcomes(run);
            assertThat(zip).containsOnlyKeys("run.json", "app/findings.json", "app/junit.xml", "app/report.md");
            Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(zip.get("app/junit.xml")));
            var root = junit.getDocumentElement();
            assertThat(root.getTagName()).isEqualTo("testsuites");
            assertThat(root.getAttribute("failures")).isEqualTo(String.valueOf(findings));
            assertThat(junit.getElementsByTagName("failure").getLength()).isEqualTo(findings);
            assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(findings + 1);
            String report = new String(zip.get("app/report.md"));
            assertThat(report).startsWith("# Bulwark `app` tester report").contains("`reflected-input`")
                    .contains("| HIGH |").doesNotContain("<bwkx>");
            assertThat(Runs.read(new String(zip.get("run.json"))).path("run").path("status").asText())
                    .isEqualTo("FINISHED");
        }
    }

    @Test
    void aMediumCanBeRequestedAndMustBeKnown() {
        try (TargetApp target = TargetApp.clean()) {
            String run = given().auth().oauth2(Runs.userToken()).contentType("application/json")
                    .queryParam("medium", "lp").body(Jobs.app(target.port(), "/profile"))
                    .post("/api/v1/test-runs")
                    .then().statusCode(202).header("Location", startsWith("http"))
                    .body("medium", equalTo("lp")).body("status", equalTo("RUNNING"))
                    .body("testers[0].sessions[0].id", equalTo("lowPrivUser"))
                    .extract().path("id");
            given().auth().oauth2(Runs.userToken()).contentType("application/json")
                    .queryParam("medium", "carrier-pigeon").body(Jobs.app(target.port(), "/profile"))
                    .post("/api/v1/test-runs").then().statusCode(400);
            Runs.awaitEnded(run);
        }
    }
}
