package dev.bulwark.relay.threatresponse;

import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.relay.support.ConfigurationTokens;
import dev.bulwark.relay.support.Feeds;
import dev.bulwark.relay.support.Relay;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ObserveTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private String net;
    private String domain;
    private String stixSource;

    @BeforeEach
    void importStix() {
        net = Relay.uniqueNet();
        domain = Relay.unique("obs") + ".example";
        stixSource = Relay.unique("stix");
        Relay.importFeed("stix", stixSource, null, Feeds.sample("stix-bundle.json", Map.of("NET", net,
                "DOMAIN", domain, "TAG", "t", "SHA256", "ab".repeat(32)))).statusCode(200);
    }

    @Test
    void observeAnswersEveryCtimEntityOfACidrMatchWithItsRequiredFields() {
        String ip = net + ".9";
        JsonPath data = Relay.post("/observe/observables", Relay.clientToken(), Relay.observables("ip", ip))
                .statusCode(200)
                .body("$", not(hasKey("errors")))
                .body("data", aMapWithSize(5))
                .extract().jsonPath().setRootPath("data");

        Map<String, Object> verdict = new HashMap<>(data.getMap("verdicts.docs[0]"));
        Map<String, Object> judgement = new HashMap<>(data.getMap("judgements.docs[0]"));
        Map<String, Object> indicator = new HashMap<>(data.getMap("indicators.docs[0]"));
        Map<String, Object> sighting = new HashMap<>(data.getMap("sightings.docs[0]"));
        assertEquals(1, data.getInt("verdicts.count"));
        assertEquals(Map.of("type", "verdict", "disposition", 2, "disposition_name", "Malicious",
                "observable", Map.of("type", "ip", "value", ip),
                "valid_time", Map.of("start_time", "2026-01-10T08:00:00.000Z", "end_time", "2525-01-01T00:00:00.000Z"),
                "judgement_id", judgement.get("id")), verdict);

        assertMatches("transient:judgement-" + UUID, judgement.remove("id"));
        assertEquals(Map.ofEntries(Map.entry("type", "judgement"), Map.entry("schema_version", "1.0.17"),
                Map.entry("source", stixSource),
                Map.entry("source_uri", "http://relay.test/api/v1/indicators?type=ip&value=" + ip),
                Map.entry("confidence", "High"), Map.entry("disposition", 2), Map.entry("disposition_name", "Malicious"),
                Map.entry("observable", Map.of("type", "ip", "value", ip)), Map.entry("priority", 90),
                Map.entry("severity", "High"),
                Map.entry("valid_time", Map.of("start_time", "2026-01-10T08:00:00.000Z",
                        "end_time", "2525-01-01T00:00:00.000Z")),
                Map.entry("reason", ip + " is within " + net + ".0/24 listed by " + stixSource),
                Map.entry("tlp", "amber"),
                Map.entry("external_ids", data.getList("judgements.docs[0].external_ids")),
                Map.entry("external_references", List.of(Map.of("source_name", "example-cert",
                        "url", "https://cert.example/advisories/1", "external_id", "ADV-1")))), judgement);
        assertEquals("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                data.getList("judgements.docs[0].external_ids").get(1));

        assertMatches("transient:indicator-" + UUID, indicator.remove("id"));
        indicator.remove("external_ids");
        assertEquals(Map.ofEntries(Map.entry("type", "indicator"), Map.entry("schema_version", "1.0.17"),
                Map.entry("producer", stixSource),
                Map.entry("valid_time", Map.of("start_time", "2026-01-10T08:00:00.000Z",
                        "end_time", "2525-01-01T00:00:00.000Z")),
                Map.entry("title", stixSource + ": ip " + net + ".0/24"),
                Map.entry("description", "Command and control servers of the t campaign"),
                Map.entry("confidence", "High"), Map.entry("severity", "High"),
                Map.entry("tags", List.of("malicious-activity", "c2")), Map.entry("tlp", "amber"),
                Map.entry("external_references", List.of(Map.of("source_name", "example-cert",
                        "url", "https://cert.example/advisories/1", "external_id", "ADV-1")))), indicator);

        assertMatches("transient:sighting-" + UUID, sighting.remove("id"));
        assertEquals(Map.ofEntries(Map.entry("type", "sighting"), Map.entry("schema_version", "1.0.17"),
                Map.entry("confidence", "High"), Map.entry("count", 4),
                Map.entry("observed_time", Map.of("start_time", "2026-01-11T09:00:00.000Z",
                        "end_time", "2026-01-12T10:30:00.000Z")),
                Map.entry("observables", List.of(Map.of("type", "ip", "value", ip))),
                Map.entry("title", "Sighting reported by " + stixSource),
                Map.entry("description", "Beaconing seen from 3 hosts"), Map.entry("source", stixSource),
                Map.entry("internal", false), Map.entry("tlp", "amber")), sighting);

        assertEquals(2, data.getInt("relationships.count"));
        assertEquals(List.of("based-on", "sighting-of"), data.getList("relationships.docs.relationship_type"));
        assertEquals(List.of(data.getString("judgements.docs[0].id"), data.getString("sightings.docs[0].id")),
                data.getList("relationships.docs.source_ref"));
        assertEquals(List.of(data.getString("indicators.docs[0].id"), data.getString("indicators.docs[0].id")),
                data.getList("relationships.docs.target_ref"));
        assertEquals(List.of("relationship", "relationship"), data.getList("relationships.docs.type"));
        assertEquals(List.of("1.0.17", "1.0.17"), data.getList("relationships.docs.schema_version"));
    }

    @Test
    void subdomainsMatchTheirListedParentsMostSpecificFirst() {
        String observed = "www.mail." + domain;
        Relay.post("/observe/observables", Relay.clientToken(), Relay.observables("domain", observed.toUpperCase()))
                .statusCode(200)
                .body("data.verdicts.docs[0].disposition", equalTo(3))
                .body("data.verdicts.docs[0].disposition_name", equalTo("Suspicious"))
                .body("data.verdicts.docs[0].valid_time.end_time", equalTo("2099-01-01T00:00:00.000Z"))
                .body("data.judgements.count", equalTo(2))
                .body("data.judgements.docs.reason", contains(
                        observed + " is a subdomain of mail." + domain + " listed by " + stixSource,
                        observed + " is a subdomain of " + domain + " listed by " + stixSource))
                .body("data.judgements.docs.confidence", contains("Medium", "Medium"))
                .body("data", not(hasKey("sightings")));
        Relay.post("/deliberate/observables", Relay.clientToken(), Relay.observables("hostname", domain))
                .statusCode(200)
                .body("data", aMapWithSize(1))
                .body("data.verdicts.count", equalTo(1))
                .body("data.verdicts.docs[0].observable.type", equalTo("hostname"))
                .body("data.verdicts.docs[0].disposition_name", equalTo("Suspicious"))
                .body("data.verdicts.docs[0]", not(hasKey("judgement_id")));
        Relay.post("/observe/observables", Relay.clientToken(), Relay.observables("domain", "other" + domain))
                .statusCode(200).body("data", aMapWithSize(0));
    }

    @Test
    void csvAndMispDataAnswerBesideStix() {
        String csvSource = Relay.unique("csv");
        Relay.importFeed("csv", csvSource, 2, Feeds.sample("ioc-list.csv", Map.of("NET", net, "DOMAIN", domain)))
                .statusCode(200);
        String mispNet = Relay.uniqueNet();
        String mispSource = Relay.unique("misp");
        Relay.importFeed("misp", mispSource, null, Feeds.sample("misp-event.json", Map.of("NET", mispNet,
                "DOMAIN", Relay.unique("m") + ".example", "TAG", "t", "MD5", "cd".repeat(16)))).statusCode(200);

        Relay.post("/observe/observables", Relay.clientToken(), Relay.observables("ip", net + ".3",
                        "url", "https://WWW." + domain + "/Login?x=1", "domain", "old." + domain, "ip", mispNet + ".5"))
                .statusCode(200)
                .body("data.verdicts.count", equalTo(4))
                .body("data.verdicts.docs.observable.value", contains(net + ".3", "https://WWW." + domain
                        + "/Login?x=1", "old." + domain, mispNet + ".5"))
                .body("data.verdicts.docs.disposition_name", contains("Malicious", "Malicious", "Suspicious",
                        "Malicious"))
                .body("data.judgements.count", equalTo(6))
                .body("data.judgements.docs.reason", containsInAnyOrder(
                        net + ".3 is within " + net + ".0/28 listed by " + csvSource,
                        net + ".3 is within " + net + ".0/24 listed by " + stixSource,
                        "Listed by " + csvSource,
                        "old." + domain + " is a subdomain of " + domain + " listed by " + csvSource,
                        "old." + domain + " is a subdomain of " + domain + " listed by " + stixSource,
                        "Listed by " + mispSource))
                .body("data.judgements.docs[0].source", equalTo(csvSource))
                .body("data.judgements.docs.tlp", hasItem("red"))
                .body("data.sightings.docs.count", contains(4, 2))
                .body("data.sightings.docs[1].title", equalTo("Sighted in MISP"));
    }

    @Test
    void ipv6NetworksContainTheirAddresses() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int group = random.nextInt(1, 0xfffe);
        String prefix = "2001:db8:" + Integer.toHexString(random.nextInt(1, 0xffff)) + ":";
        String network = prefix + Integer.toHexString(group);
        String source = Relay.unique("v6");
        Relay.importFeed("csv", source, 3, network + "::/64\n" + network.toUpperCase() + ":0:0:0:1\n")
                .statusCode(200).body("added", equalTo(2));
        Relay.post("/observe/observables", Relay.clientToken(), Relay.observables("ipv6", network + ":0::1",
                        "ipv6", network + "::9", "ipv6", prefix + Integer.toHexString(group + 1) + "::1"))
                .statusCode(200)
                .body("data.verdicts.count", equalTo(2))
                .body("data.verdicts.docs.disposition_name", contains("Suspicious", "Suspicious"))
                .body("data.judgements.docs.reason", contains("Listed by " + source,
                        network + "::1 is within " + network + "::/64 listed by " + source,
                        network + "::9 is within " + network + "::/64 listed by " + source));
    }

    @Test
    void entitiesPerObservableFollowTheTokensLimit() {
        String token = ConfigurationTokens.builder().claims(Map.of("CTR_ENTITIES_LIMIT", 1))
                .buildHs256(ConfigurationTokens.SECRET);
        Relay.post("/observe/observables", token, Relay.observables("domain", "a.mail." + domain, "ip", net + ".1"))
                .statusCode(200)
                .body("data.verdicts.count", equalTo(2))
                .body("data.judgements.count", equalTo(2))
                .body("data.judgements.docs.observable.value", contains("a.mail." + domain, net + ".1"))
                .body("data.relationships.count", equalTo(2));
        String unlimited = ConfigurationTokens.builder().claims(Map.of("CTR_ENTITIES_LIMIT", "zero"))
                .buildHs256(ConfigurationTokens.SECRET);
        Relay.post("/observe/observables", unlimited, Relay.observables("domain", "a.mail." + domain))
                .statusCode(200).body("data.judgements.count", equalTo(2));
    }

    @Test
    void unsupportedTypesAndInvalidValuesComeBackAsWarnings() {
        Relay.post("/observe/observables", Relay.clientToken(), Relay.observables("ip", net + ".1",
                        "file_name", "evil.exe", "ip", "999.1.1.1", "file_name", "other.exe", "mac_address", "x"))
                .statusCode(200)
                .body("data.verdicts.count", equalTo(1))
                .body("errors", hasSize(3))
                .body("errors.type", contains("warning", "warning", "warning"))
                .body("errors.code", contains("invalid argument", "invalid argument", "invalid argument"))
                .body("errors[0].message", equalTo("Observable ip '999.1.1.1' was not looked up: "
                        + "'999.1.1.1' is not an IP address"))
                .body("errors[1].message", equalTo("Observable type 'file_name' is not supported and was not looked "
                        + "up; supported types: ip, ipv6, domain, hostname, url, email, md5, sha1, sha256"))
                .body("errors[2].message", startsWith("Observable type 'mac_address' is not supported"));
    }

    @Test
    void oversizedAndMalformedBodiesAreInvalidArguments() {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"type\":\"ip\",\"value\":\"192.0.2.").append(i).append("\"}");
        }
        Relay.post("/observe/observables", Relay.clientToken(), many.append("]").toString())
                .statusCode(200)
                .body("data", nullValue())
                .body("errors", contains(Map.of("type", "fatal", "code", "invalid argument", "message",
                        "Invalid JSON payload received. No more than 100 observables are accepted per request, got 101.")));
        Relay.post("/deliberate/observables", Relay.clientToken(), "[{\"type\":\"ip\"}]")
                .statusCode(200)
                .body("errors[0].code", equalTo("invalid argument"))
                .body("errors[0].message", equalTo("Invalid JSON payload received. "
                        + "{\"0\": {\"value\": [\"Missing data for required field.\"]}}"));
        Relay.post("/observe/observables", Relay.clientToken(), "{\"type\":\"ip\"")
                .statusCode(200)
                .body("errors[0].code", equalTo("invalid argument"))
                .body("errors[0].message", startsWith("Invalid JSON payload received. The body is not JSON"));
        Relay.post("/observe/observables", Relay.clientToken(), "[]")
                .statusCode(200).body("data", aMapWithSize(0)).body("$", not(hasKey("errors")));
    }

    private static void assertEquals(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }

    private static void assertMatches(String regex, Object actual) {
        org.hamcrest.MatcherAssert.assertThat(String.valueOf(actual), matchesPattern(regex));
    }
}
