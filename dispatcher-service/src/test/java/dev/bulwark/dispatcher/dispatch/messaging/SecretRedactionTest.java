package dev.bulwark.dispatcher.dispatch.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.bulwark.dispatcher.testing.Fixtures.awaitErrors;
import static dev.bulwark.dispatcher.testing.Fixtures.awaitRecords;
import static dev.bulwark.dispatcher.testing.Fixtures.inputTopic;
import static dev.bulwark.dispatcher.testing.Fixtures.send;
import static dev.bulwark.dispatcher.testing.Fixtures.suite;
import static dev.bulwark.dispatcher.testing.Fixtures.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Dead letters keep what is needed to replay a message, never its secrets (hook secrets, credential-like fields). */
@QuarkusTest
class SecretRedactionTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aFailedWebhookStartIsDeadLetteredWithoutItsSecrets() throws Exception {
        String hook = unique("hook");
        String secret = unique("hook-secret-value");
        String password = unique("db-password");
        suite().register(post(urlEqualTo("/api/v1/auth/token")).withRequestBody(containing("client_credentials"))
                .willReturn(okJson("{\"access_token\":\"dispatcher-token\",\"expires_in\":900}")));
        // The target echoes the secret in its refusal: the reason on the error topic must not carry it either.
        suite().register(post(urlEqualTo("/api/v1/hooks/" + hook)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"secret " + secret + " does not match\"}")));

        String original = "{\"message_type\":\"start_workflow\",\"values\":{\"hookId\":\"" + hook
                + "\",\"hookSecret\":\"" + secret + "\",\"argument\":{\"host\":\"db-1\",\"auth\":{\"db_password\":\""
                + password + "\"}}},\"message_id\":\"" + hook + "\"}";
        send(hook, original, Map.of("Authorization", "Bearer " + secret, "trace-id", hook));

        ConsumerRecord<String, String> letter = awaitErrors(hook, 1).get(0);
        assertThat(letter.value(), not(containsString(secret)));
        assertThat(letter.value(), not(containsString(password)));
        JsonNode value = mapper.readTree(letter.value());
        assertThat(value.get("error").asText(), startsWith("HTTP 403"));
        assertThat(value.get("handler").asText(), equalTo("start_workflow"));
        JsonNode values = value.get("message").get("values");
        assertThat(values.get("hookSecret").asText(), equalTo("[REDACTED]"));
        assertThat(values.get("hookId").asText(), equalTo(hook));
        assertThat(values.get("argument").get("host").asText(), equalTo("db-1"));
        assertThat(values.get("argument").get("auth").get("db_password").asText(), equalTo("[REDACTED]"));
        assertThat(value.get("message").get("message_id").asText(), equalTo(hook));
        assertThat(texts(value.get("redacted")), containsInAnyOrder("values.hookSecret",
                "values.argument.auth.db_password", "headers.Authorization"));
        assertThat(header(letter, "Authorization"), equalTo("[REDACTED]"));
        assertThat(header(letter, "trace-id"), equalTo(hook));

        // The replay coordinates lead to the original record, secrets included, while the input topic keeps it.
        JsonNode source = value.get("source");
        assertThat(source.get("topic").asText(), equalTo(inputTopic()));
        ConsumerRecord<String, String> kept = awaitRecords(inputTopic(),
                r -> r.partition() == source.get("partition").asInt() && r.offset() == source.get("offset").asLong(),
                1).get(0);
        assertThat(kept.value(), equalTo(original));
    }

    @Test
    void aRejectedMessageIsDeadLetteredWithoutItsSecrets() throws Exception {
        String key = unique("rejected");
        String secret = unique("hook-secret-value");
        // Both workflowId and a hook: a schema violation, dead-lettered before any handler runs.
        send(key, "{\"message_type\":\"start_workflow\",\"values\":{\"workflowId\":\"wf\",\"hookId\":\"h\","
                + "\"hookSecret\":\"" + secret + "\"}}");

        ConsumerRecord<String, String> letter = awaitErrors(key, 1).get(0);
        assertThat(letter.value(), not(containsString(secret)));
        JsonNode value = mapper.readTree(letter.value());
        assertThat(value.get("error").asText(), startsWith("Schema violation of start_workflow"));
        assertThat(value.get("message").get("values").get("hookSecret").asText(), equalTo("[REDACTED]"));
        assertThat(texts(value.get("redacted")), hasItem("values.hookSecret"));
    }

    @Test
    void invalidJsonIsDeadLetteredWithoutTheSecretsItCarries() throws Exception {
        String key = unique("broken");
        String secret = unique("hook-secret-value");
        send(key, "{\"message_type\":\"start_workflow\",\"values\":{\"hookId\":\"h\",\"hookSecret\":\"" + secret
                + "\",\"argument\":");

        ConsumerRecord<String, String> letter = awaitErrors(key, 1).get(0);
        assertThat(letter.value(), not(containsString(secret)));
        JsonNode value = mapper.readTree(letter.value());
        assertThat(value.get("error").asText(), startsWith("Invalid JSON"));
        assertThat(value.get("message").asText(), containsString("\"hookSecret\":\"[REDACTED]\""));
        assertThat(value.get("message").asText(), containsString("\"hookId\":\"h\""));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
