package dev.bulwark.relay.tenancy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.relay.support.ConfigurationTokens;
import dev.bulwark.relay.support.Relay;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two organisations, A and B, on one relay: neither sees, changes nor answers from the other's data. */
@QuarkusTest
class OrganisationScopeTest {

    @Inject
    EntityManager em;

    private String orgA;
    private String orgB;

    @BeforeEach
    void organisations() {
        orgA = Relay.unique("org-a");
        orgB = Relay.unique("org-b");
    }

    @Test
    void anotherOrganisationsFeedsAreInvisibleAndTheirUrlsMasked() {
        String url = "http://feeder:s3cret-pass@" + Relay.jwksHost() + "/feeds/" + Relay.unique("f")
                + ".csv?api_key=K3Y-of-a&format=csv";
        String masked = "http://***@" + Relay.jwksHost() + url.substring(url.indexOf("/feeds/"), url.indexOf('?'))
                + "?api_key=***&format=***";
        String name = Relay.unique("feed");
        String id = given().auth().oauth2(token(orgA, Roles.ADMIN)).contentType(ContentType.JSON)
                .body(Map.of("name", name, "url", url, "format", "csv", "disposition", 2))
                .when().post("/api/v1/feeds")
                .then().statusCode(201).body("url", equalTo(masked)).extract().path("id");

        String listed = given().auth().oauth2(token(orgA, Roles.ADMIN)).when().get("/api/v1/feeds")
                .then().statusCode(200).body("id", contains(id)).body("url", contains(masked))
                .extract().asString();
        assertTrue(!listed.contains("s3cret") && !listed.contains("K3Y"), listed);
        given().auth().oauth2(token(orgA, Roles.ADMIN)).when().get("/api/v1/feeds/" + id)
                .then().statusCode(200).body("url", equalTo(masked));

        String admin = token(orgB, Roles.ADMIN);
        given().auth().oauth2(admin).when().get("/api/v1/feeds").then().statusCode(200).body("", empty());
        given().auth().oauth2(admin).when().get("/api/v1/feeds/" + id).then().statusCode(404);
        given().auth().oauth2(admin).when().delete("/api/v1/feeds/" + id).then().statusCode(404)
                .contentType(ContentType.fromContentType("application/problem+json"));
        given().auth().oauth2(admin).when().post("/api/v1/feeds/" + id + "/pull").then().statusCode(404);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", name, "url", "http://" + Relay.jwksHost() + "/feeds/b.csv", "format", "csv",
                        "disposition", 1))
                .when().post("/api/v1/feeds").then().statusCode(201);

        given().auth().oauth2(token(orgA, Roles.ADMIN)).when().get("/api/v1/feeds/" + id).then().statusCode(200);
        given().auth().oauth2(token(orgA, Roles.ADMIN)).when().delete("/api/v1/feeds/" + id).then().statusCode(204);
    }

    @Test
    void anotherOrganisationsImportsActionsAndClientsNeverReachAnOrganisationsIndicators() {
        String domain = Relay.unique("both") + ".example";
        String onlyA = Relay.unique("only-a") + ".example";
        String source = Relay.unique("shared-source");
        importCsv(orgA, source, 2, domain + "\n" + onlyA + "\n").body("added", equalTo(2));
        importCsv(orgB, source, 1, domain + "\n").body("added", equalTo(1)).body("updated", equalTo(0));

        String clientA = token(orgA, Roles.RELAY_CLIENT);
        String clientB = token(orgB, Roles.RELAY_CLIENT);
        Relay.post("/deliberate/observables", clientA, Relay.observables("domain", domain))
                .body("data.verdicts.docs[0].disposition_name", equalTo("Malicious"));
        Relay.post("/deliberate/observables", clientB, Relay.observables("domain", domain))
                .body("data.verdicts.docs[0].disposition_name", equalTo("Clean"));

        Relay.post("/observe/observables", clientB, Relay.observables("domain", onlyA, "domain", "www." + onlyA))
                .statusCode(200).body("data", anEmptyMap());
        given().auth().oauth2(clientB).queryParam("value", onlyA).when().get("/api/v1/indicators")
                .then().statusCode(200).body("", empty());
        String moduleToken = ConfigurationTokens.builder().buildHs256(ConfigurationTokens.SECRET);
        Relay.post("/deliberate/observables", moduleToken, Relay.observables("domain", onlyA))
                .body("data", anEmptyMap());

        Relay.post("/respond/trigger", token(orgB, Roles.ADMIN), "{\"action-id\":\"mark-clean\","
                + "\"observable_type\":\"domain\",\"observable_value\":\"" + onlyA + "\"}")
                .body("data.status", equalTo("success"));
        Relay.post("/observe/observables", clientA, Relay.observables("domain", onlyA))
                .body("data.verdicts.docs[0].disposition_name", equalTo("Malicious"))
                .body("data.judgements.docs.source", contains(source));
        given().auth().oauth2(clientA).queryParam("value", onlyA).when().get("/api/v1/indicators")
                .then().statusCode(200).body("source", contains(source));

        Relay.post("/tiles/tile-data", clientB,
                        "{\"tile_id\":\"bulwark-indicators-by-disposition\",\"period\":\"last_24_hours\"}")
                .body("data.data.value", contains(2, 0, 0, 0, 0));
        Relay.post("/tiles/tile-data", clientA,
                        "{\"tile_id\":\"bulwark-indicators-by-disposition\",\"period\":\"last_24_hours\"}")
                .body("data.data.value", contains(0, 2, 0, 0, 0));
    }

    @Test
    void anotherOrganisationsSightingsStayOutOfTheRecentSightingsTile() {
        String sighted = Relay.unique("sighted") + ".example";
        String bundle = """
                {"type":"bundle","id":"bundle--4d9f0c0e-0000-4000-8000-000000000001","objects":[
                 {"type":"indicator","spec_version":"2.1","id":"indicator--4d9f0c0e-0000-4000-8000-000000000002",
                  "created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","valid_from":"2026-01-01T00:00:00Z",
                  "pattern_type":"stix","pattern":"[domain-name:value = '%s']"},
                 {"type":"sighting","spec_version":"2.1","id":"sighting--4d9f0c0e-0000-4000-8000-000000000003",
                  "created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","count":3,
                  "first_seen":"%s","last_seen":"%s",
                  "sighting_of_ref":"indicator--4d9f0c0e-0000-4000-8000-000000000002"}]}
                """.formatted(sighted, java.time.Instant.now().minusSeconds(7200), java.time.Instant.now().minusSeconds(60));
        given().auth().oauth2(token(orgA, Roles.ADMIN)).contentType(ContentType.TEXT).body(bundle)
                .queryParam("format", "stix").queryParam("source", Relay.unique("stix"))
                .when().post("/api/v1/feeds/import").then().statusCode(200).body("added", equalTo(1));

        String tile = "{\"tile_id\":\"bulwark-recent-sightings\",\"period\":\"last_24_hours\"}";
        Relay.post("/tiles/tile-data", token(orgA, Roles.RELAY_CLIENT), tile)
                .body("data.data", hasItem(containsString(sighted)));
        Relay.post("/tiles/tile-data", token(orgB, Roles.RELAY_CLIENT), tile)
                .body("data.data", contains("No sightings in this period."))
                .body("data.data", not(hasItem(containsString(sighted))));
    }

    /**
     * Every per-organisation query can be answered from an index whose condition includes the organisation. Sequential
     * scans are switched off for the check: the test tables are small, where the planner rightly prefers them, and
     * which index it picks depends on their statistics (on a large table containment uses indicator_network; an exact
     * network match uses indicator_address_text, or indicator_network with the organisation as its condition).
     */
    @Test
    void theOrganisationFilterIsAnIndexCondition() {
        assertIndexCondition("select id from indicator where org_id = 'o' and type = 'domain' and value in ('a', 'b') "
                + "and valid_from <= now()", "indicator_lookup", "indicator_identity");
        assertIndexCondition("select m.id from unnest(cast('{192.0.2.1,198.51.100.7}' as inet[])) o(address) cross join "
                + "lateral (select id, network from indicator where org_id = 'o' and network >>= o.address "
                + "order by masklen(network) desc limit 5) m", "indicator_network", "indicator_address_text",
                "indicator_identity", "indicator_lookup");
        assertIndexCondition("select i.id from unnest(cast('{a.example,example}' as text[]), cast('{domain,domain}' as "
                + "text[])) o(value, type) cross join lateral (select id from indicator where org_id = 'o' and type = "
                + "o.type and value = o.value and valid_from <= now() order by disposition, id limit 5) i",
                "indicator_lookup", "indicator_identity");
        assertIndexCondition("select m.id from unnest(cast('{192.0.2.0/24,198.51.100.7/32}' as cidr[])) o(network) "
                + "cross join lateral (select id from indicator where org_id = 'o' and text(network) = text(o.network) "
                + "order by disposition, id limit 5) m", "indicator_address_text", "indicator_network");
        assertIndexCondition("select coalesce(sum(weight), 0) from indicator_change where org_id = 'o'",
                "indicator_change_pkey");
        assertIndexCondition("select id from indicator where org_id = 'o' and source = 's' and type = 'ip' and "
                + "value in ('192.0.2.1')", "indicator_identity", "indicator_lookup");
        assertIndexCondition("select id from sighting where org_id = 'o' and last_seen >= now() - interval '1 day' "
                + "order by last_seen desc limit 20", "sighting_recent");
        assertIndexCondition("select id from feed where org_id = 'o' order by name", "feed_identity");
    }

    private void assertIndexCondition(String query, String... indexes) {
        List<String> plan = QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("set local enable_seqscan = off").executeUpdate();
            @SuppressWarnings("unchecked")
            List<String> lines = em.createNativeQuery("explain " + query).getResultList();
            return lines;
        });
        String text = String.join("\n", plan);
        assertTrue(java.util.Arrays.stream(indexes).anyMatch(index -> text.contains(" " + index + " ")), text);
        assertTrue(!text.contains("Seq Scan"), text);
        assertTrue(plan.stream().anyMatch(l -> l.contains("Index Cond") && l.contains("org_id")), text);
        assertTrue(plan.stream().noneMatch(l -> l.contains("Filter") && l.contains("org_id")), text);
    }

    private static io.restassured.response.ValidatableResponse importCsv(String org, String source, int disposition,
                                                                         String body) {
        return given().auth().oauth2(token(org, Roles.ADMIN)).contentType(ContentType.TEXT).body(body)
                .queryParam("format", "csv").queryParam("source", source).queryParam("disposition", disposition)
                .when().post("/api/v1/feeds/import").then().statusCode(200);
    }

    private static String token(String org, String role) {
        return TestTokens.builder().org(org).roles(role).build();
    }
}
