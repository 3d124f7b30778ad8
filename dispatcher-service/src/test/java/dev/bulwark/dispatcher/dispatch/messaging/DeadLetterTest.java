package dev.bulwark.dispatcher.dispatch.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.bulwark.dispatcher.testing.Fixtures.awaitErrors;
import static dev.bulwark.dispatcher.testing.Fixtures.ciso;
import static dev.bulwark.dispatcher.testing.Fixtures.send;
import static dev.bulwark.dispatcher.testing.Fixtures.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What cannot be handled lands on the error topic with the reason, the original key and headers; never skipped. */
@QuarkusTest
class DeadLetterTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void poisonJsonIsDeadLetteredWithItsKeyAndHeaders() throws Exception {
        String key = unique("poison");
        send(key, "{not json", Map.of("trace-id", key, "source", "sensor-7"));

        ConsumerRecord<String, String> letter = awaitErrors(key, 1).get(0);
        JsonNode value = mapper.readTree(letter.value());
        assertThat(value.get("message").asText(), equalTo("{not json"));
        assertThat(value.get("error").asText(), startsWith("Invalid JSON"));
        assertThat(value.get("attempts").asInt(), equalTo(0));
        assertThat(value.get("handler").isNull(), is(true));
        assertThat(Instant.parse(value.get("failedAt").asText()), lessThan(Instant.now().plusSeconds(1)));
        assertThat(new String(letter.headers().lastHeader("trace-id").value(), StandardCharsets.UTF_8), equalTo(key));
        assertThat(new String(letter.headers().lastHeader("source").value(), StandardCharsets.UTF_8),
                equalTo("sensor-7"));
    }

    @Test
    void unknownMessageTypeIsDeadLettered() throws Exception {
        String key = unique("unknown");
        send(key, "{\"message_type\":\"delete_everything\",\"selector\":{},\"values\":{}}");

        JsonNode value = mapper.readTree(awaitErrors(key, 1).get(0).value());
        assertThat(value.get("error").asText(), containsString("Unknown message_type 'delete_everything'"));
        assertThat(value.get("message").get("message_type").asText(), equalTo("delete_everything"));
    }

    @Test
    void schemaViolationIsDeadLetteredWithTheViolation() throws Exception {
        String key = unique("schema");
        send(key, "{\"message_type\":\"update_applied_control\",\"selector\":{\"ref_id\":\"x\"},\"values\":{}}");
        String noSelector = unique("schema");
        send(noSelector, "{\"message_type\":\"update_applied_control\",\"values\":{\"priority\":\"1\"}}");
        String other = unique("schema");
        send(other, "{\"message_type\":\"upload_attachment\",\"selector\":{},\"values\":{\"file_name\":\"a\"}}");

        JsonNode value = mapper.readTree(awaitErrors(key, 1).get(0).value());
        assertThat(value.get("error").asText(),
                allOf(startsWith("Schema violation of update_applied_control"), containsString("values")));
        assertThat(value.get("handler").asText(), equalTo("update_applied_control"));
        assertThat(mapper.readTree(awaitErrors(noSelector, 1).get(0).value()).get("error").asText(),
                allOf(startsWith("Schema violation of update_applied_control"), containsString("selector")));
        assertThat(mapper.readTree(awaitErrors(other, 1).get(0).value()).get("error").asText(),
                startsWith("Schema violation of upload_attachment"));
    }

    @Test
    void noMatchForASingleSelectorIsDeadLettered() throws Exception {
        String ref = unique("none");
        ciso().register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id", WireMock.equalTo(ref))
                .willReturn(okJson("{\"count\":0,\"next\":null,\"results\":[]}")));
        send(ref, update(ref));

        JsonNode value = mapper.readTree(awaitErrors(ref, 1).get(0).value());
        assertThat(value.get("error").asText(), startsWith("No objects match the given selector"));
        assertThat(value.get("attempts").asInt(), equalTo(1));
        assertThat(value.get("handler").asText(), equalTo("update_applied_control"));
        assertThat(value.get("message").get("selector").get("ref_id").asText(), equalTo(ref));
    }

    @Test
    void twoMatchesForASingleSelectorAreDeadLetteredNamingTheCount() throws Exception {
        String ref = unique("two");
        WireMock api = ciso();
        api.register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id", WireMock.equalTo(ref))
                .willReturn(okJson("{\"count\":2,\"next\":null,\"results\":[{\"id\":\"a\"},{\"id\":\"b\"}]}")));
        send(ref, update(ref));

        JsonNode value = mapper.readTree(awaitErrors(ref, 1).get(0).value());
        assertThat(value.get("error").asText(), startsWith("Expected a single object, but got 2 objects."));
        api.verifyThat(0, patchRequestedFor(urlPathMatching("/api/applied-controls/[ab]/")));
    }

    @Test
    void unknownSelectorKeyIsDeadLetteredWithoutCallingTheApi() throws Exception {
        String ref = unique("typo");
        send(ref, "{\"message_type\":\"update_applied_control\",\"selector\":{\"ref_idd\":\"" + ref
                + "\"},\"values\":{\"priority\":\"1\"}}");

        JsonNode value = mapper.readTree(awaitErrors(ref, 1).get(0).value());
        assertThat(value.get("error").asText(),
                startsWith("Unknown selector key 'ref_idd' for applied-controls; allowed: "));
        ciso().verifyThat(0, WireMock.getRequestedFor(
                urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_idd", WireMock.equalTo(ref)));
    }

    @Test
    void aBadRequestIsDeadLetteredWithoutRetry() throws Exception {
        String ref = unique("bad");
        String id = unique("ac");
        WireMock api = ciso();
        api.register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id", WireMock.equalTo(ref))
                .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + id + "\"}]}")));
        api.register(patch(urlEqualTo("/api/applied-controls/" + id + "/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"priority\":[\"\\\"9\\\" is not a valid choice.\"]}")));
        send(ref, update(ref));

        JsonNode value = mapper.readTree(awaitErrors(ref, 1).get(0).value());
        assertThat(value.get("error").asText(),
                allOf(startsWith("HTTP 400"), containsString("is not a valid choice")));
        assertThat(value.get("attempts").asInt(), equalTo(1));
        api.verifyThat(1, patchRequestedFor(urlEqualTo("/api/applied-controls/" + id + "/")));
    }

    private static String update(String ref) {
        return "{\"message_type\":\"update_applied_control\",\"selector\":{\"ref_id\":\"" + ref
                + "\"},\"values\":{\"priority\":\"1\"}}";
    }
}
