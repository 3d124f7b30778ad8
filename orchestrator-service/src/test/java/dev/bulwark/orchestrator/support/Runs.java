package dev.bulwark.orchestrator.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Starting runs through the API and reading what they produced, as a client would. */
public final class Runs {

    /** Configured like the service's mapper: java.time as ISO text. */
    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Runs() {
    }

    public static String userToken() {
        return TestTokens.withRoles(Roles.USER);
    }

    public static String start(String job) {
        return start(job, userToken());
    }

    public static String start(String job, String token) {
        return given().auth().oauth2(token).contentType("application/vnd.api+json").body(job)
                .when().post("/api/v1/test-runs")
                .then().statusCode(202).extract().path("id");
    }

    public static JsonNode get(String id) {
        return read(given().auth().oauth2(userToken()).when().get("/api/v1/test-runs/" + id)
                .then().statusCode(200).extract().asString());
    }

    /** Waits until the run has ended and returns its final state. */
    public static JsonNode awaitEnded(String id) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> !get(id).path("status").asText().equals("RUNNING"));
        return get(id);
    }

    /** The entries of the run's outcomes zip, by name. */
    public static Map<String, byte[]> outcomes(String id) {
        byte[] zip = given().auth().oauth2(TestTokens.withRoles(Roles.READER))
                .when().get("/api/v1/test-runs/" + id + "/outcomes")
                .then().statusCode(200).contentType("application/zip").extract().asByteArray();
        return unzip(zip);
    }

    public static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** Every finding of one tester, from the outcomes archive. */
    public static List<JsonNode> findings(String id, String tester) {
        JsonNode sessions = read(new String(outcomes(id).get(tester + "/findings.json")));
        List<JsonNode> findings = new ArrayList<>();
        sessions.forEach(session -> session.path("findings").forEach(findings::add));
        return findings;
    }

    public static List<String> kinds(List<JsonNode> findings) {
        return findings.stream().map(f -> f.path("kind").asText()).distinct().sorted().toList();
    }

    /** Long-polls a tester's feedback from the start until the tester is done. */
    public static List<JsonNode> pollAll(String id, String tester, String token) {
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        boolean done = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The feedback of " + tester + " in run " + id + " never ended");
            }
            var request = given().auth().oauth2(token).queryParam("wait", 2);
            if (cursor != null) {
                request.queryParam("after", cursor);
            }
            JsonNode batch = read(request.when().get("/api/v1/test-runs/" + id + "/feedback/" + tester + "/poll")
                    .then().statusCode(200).extract().asString());
            batch.path("events").forEach(events::add);
            cursor = batch.path("cursor").isNull() ? cursor : batch.path("cursor").asText();
            done = batch.path("done").asBoolean();
        }
        return events;
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
