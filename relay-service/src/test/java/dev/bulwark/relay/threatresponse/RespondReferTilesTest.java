package dev.bulwark.relay.threatresponse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.relay.support.ConfigurationTokens;
import dev.bulwark.relay.support.Feeds;
import dev.bulwark.relay.support.Relay;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RespondReferTilesTest {

    /** Configuration tokens are verified against the platform's JWKS, which the fake platform host must serve. */
    @BeforeEach
    void publishPlatformJwks() {
        ConfigurationTokens.publishJwks();
    }

    @Test
    void referLinksToTheRelaysIndicatorView() {
        Relay.post("/refer/observables", Relay.clientToken(),
                        Relay.observables("domain", "Example.COM", "file_name", "a.exe"))
                .statusCode(200)
                .body("data", hasSize(1))
                .body("data[0]", equalTo(Map.of("id", "ref-bulwark-search-domain-Example.COM",
                        "title", "Search for this domain",
                        "description", "Look up this domain in the Bulwark relay's indicator store",
                        "url", "http://relay.test/api/v1/indicators?type=domain&value=example.com",
                        "categories", List.of("Bulwark", "Search"))))
                .body("errors[0].type", equalTo("warning"));
    }

    @Test
    void respondActionsAreOfferedToWritersOnlyWithQueryParams() {
        Relay.post("/respond/observables", Relay.adminToken(), Relay.observables("ip", "192.0.2.10"))
                .statusCode(200)
                .body("data.id", contains("add-to-blocklist", "mark-clean"))
                .body("data[0].title", equalTo("Add to Bulwark blocklist"))
                .body("data[0].categories", contains("Bulwark", "Add to blocklist"))
                .body("data[0].query-params", equalTo(Map.of("observable_type", "ip",
                        "observable_value", "192.0.2.10")));
        Relay.post("/respond/observables", Relay.clientToken(), Relay.observables("ip", "192.0.2.10"))
                .statusCode(200).body("data", empty());
    }

    @Test
    void triggerWritesAnIndicatorThatObserveThenAnswers() {
        String domain = Relay.unique("resp") + ".example";
        String trigger = "{\"action-id\":\"add-to-blocklist\",\"observable_type\":\"domain\",\"observable_value\":\""
                + domain + "\",\"extra\":\"ignored\"}";
        Relay.post("/respond/trigger", Relay.adminToken(), trigger)
                .statusCode(200).body("data.status", equalTo("success")).body("errors", nullValue());
        Relay.post("/deliberate/observables", Relay.clientToken(), Relay.observables("domain", domain))
                .statusCode(200).body("data.verdicts.docs[0].disposition_name", equalTo("Malicious"));

        Relay.post("/respond/trigger", ConfigurationTokens.valid(), trigger.replace("add-to-blocklist", "mark-clean"))
                .statusCode(200).body("data.status", equalTo("success"));
        Relay.post("/observe/observables", Relay.clientToken(), Relay.observables("domain", domain))
                .statusCode(200)
                .body("data.judgements.count", equalTo(1))
                .body("data.judgements.docs[0].disposition_name", equalTo("Clean"))
                .body("data.judgements.docs[0].source", equalTo("bulwark-relay-response"));

        Relay.post("/respond/trigger", Relay.clientToken(), trigger)
                .statusCode(200).body("data.status", equalTo("failure"))
                .body("errors[0].code", equalTo("permission denied"));
        Relay.post("/respond/trigger", Relay.adminToken(), trigger.replace("add-to-blocklist", "delete-everything"))
                .statusCode(200).body("data.status", equalTo("failure"))
                .body("errors[0].message", equalTo("Unsupported action-id 'delete-everything'"));
        Relay.post("/respond/trigger", Relay.adminToken(), "{\"action-id\":\"mark-clean\"}")
                .statusCode(200).body("errors[0].code", equalTo("invalid argument"))
                .body("errors[0].message", equalTo("Invalid JSON payload received. "
                        + "{\"observable_type\": [\"Missing data for required field.\"]}"));
    }

    @Test
    void tilesDescribeAMetricAndAMarkdownTile() {
        Relay.post("/tiles", Relay.clientToken(), null)
                .statusCode(200)
                .body("data.id", contains("bulwark-indicators-by-disposition", "bulwark-recent-sightings"))
                .body("data.type", contains("metric_group", "markdown"));
        Relay.post("/tiles/tile", Relay.clientToken(), "{\"tile_id\":\"bulwark-recent-sightings\"}")
                .statusCode(200)
                .body("data.title", equalTo("Recent sightings"))
                .body("data.periods", contains("last_24_hours", "last_7_days", "last_30_days"))
                .body("data.default_period", equalTo("last_7_days"))
                .body("data.short_description", equalTo("Recent sightings"))
                .body("data.tags", hasItem("bulwark"));
        Relay.post("/tiles/tile", Relay.clientToken(), "{\"tile_id\":\"nope\"}")
                .statusCode(200).body("errors[0].code", equalTo("not found"));
    }

    @Test
    void tileDataCountsIndicatorsAndListsRecentSightings() {
        String net = Relay.uniqueNet();
        String recent = Instant.now().minusSeconds(3600).toString();
        String bundle = Feeds.sample("stix-bundle.json", Map.of("NET", net, "DOMAIN", Relay.unique("tile")
                + ".example", "TAG", "t", "SHA256", "ef".repeat(32)))
                .replace("\"last_seen\": \"2026-01-12T10:30:00Z\"", "\"last_seen\": \"" + recent + "\"");
        String source = Relay.unique("tiles");
        Relay.importFeed("stix", source, null, bundle).statusCode(200);

        Relay.post("/tiles/tile-data", Relay.clientToken(),
                        "{\"tile_id\":\"bulwark-indicators-by-disposition\",\"period\":\"last_24_hours\"}")
                .statusCode(200)
                .body("data.cache_scope", equalTo("org"))
                .body("data.valid_time.start_time", startsWith("20"))
                .body("data.data.label", contains("Clean", "Malicious", "Suspicious", "Common", "Unknown"))
                .body("data.data.value-unit", everyItem(equalTo("integer")))
                .body("data.data[1].value", greaterThanOrEqualTo(1))
                .body("data.data[2].value", greaterThanOrEqualTo(2));
        Relay.post("/tiles/tile-data", Relay.clientToken(),
                        "{\"tile_id\":\"bulwark-recent-sightings\",\"period\":\"last_24_hours\"}")
                .statusCode(200)
                .body("data.hide_legend", equalTo(true))
                .body("data.data[0]", equalTo("| Last seen | Observable | Disposition | Count | Source |"))
                .body("data.data", hasItem(startsWith("| " + recent.substring(0, 16))));
        Relay.post("/tiles/tile-data", Relay.clientToken(),
                        "{\"tile_id\":\"bulwark-recent-sightings\",\"period\":\"last_century\"}")
                .statusCode(200).body("errors[0].code", equalTo("invalid argument"));
        given().when().post("/tiles").then().statusCode(200).body("errors[0].code", equalTo("authorization error"));
    }
}
