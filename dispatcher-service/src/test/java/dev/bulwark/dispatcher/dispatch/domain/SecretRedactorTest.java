package dev.bulwark.dispatcher.dispatch.domain;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final MessageSchemas schemas = new MessageSchemas(List.of("start_workflow", "send_message",
            "update_applied_control"));
    private final SecretRedactor redactor = new SecretRedactor(schemas.secretPaths());

    @Test
    void theSchemasMarkTheHookSecretWriteOnly() {
        assertThat(schemas.secretPaths(), hasEntry("start_workflow", Set.of("values.hookSecret")));
        assertThat(schemas.secretPaths(), hasEntry("send_message", Set.of()));
    }

    @Test
    void schemaSecretsAndSecretLikeNamesAreRedactedAtAnyDepthTheRestIsKept() throws Exception {
        JsonNode message = mapper.readTree("{\"message_type\":\"send_message\",\"values\":{\"topic\":\"t\","
                + "\"payload\":{\"items\":[{\"api_key\":\"k-123456\"},{\"X-Api-Key\":{\"v\":\"nested-1\"}}],"
                + "\"Client-Secret\":\"cs-123456\",\"accessToken\":\"at-123456\",\"keyword\":\"kept\"}}}");

        SecretRedactor.Redacted redacted = redactor.redact(message, "send_message");

        assertThat(redacted.paths(), containsInAnyOrder("values.payload.items[0].api_key",
                "values.payload.items[1].X-Api-Key", "values.payload.Client-Secret", "values.payload.accessToken"));
        String text = redacted.message().toString();
        for (String secret : List.of("k-123456", "nested-1", "cs-123456", "at-123456")) {
            assertThat(text, not(containsString(secret)));
        }
        assertThat(redacted.message().at("/values/payload/keyword").asText(), equalTo("kept"));
        assertThat(redacted.message().at("/values/topic").asText(), equalTo("t"));
        assertThat("the original is left alone", message.at("/values/payload/accessToken").asText(),
                equalTo("at-123456"));
    }

    @Test
    void aSchemaSecretIsRedactedOnlyForItsOwnType() throws Exception {
        JsonNode message = mapper.readTree("{\"message_type\":\"x\",\"values\":{\"hookSecret\":\"hs-123456\"}}");
        assertThat(redactor.redact(message, "start_workflow").paths(), containsInAnyOrder("values.hookSecret"));
        // Its name alone says "secret" too: an unrecognised type is redacted by name.
        assertThat(redactor.redact(message, null).paths(), containsInAnyOrder("values.hookSecret"));
    }

    @Test
    void theFailureReasonIsScrubbedOfTheMessagesSecretValues() throws Exception {
        JsonNode message = mapper.readTree("{\"values\":{\"hookSecret\":\"hs-123456\",\"pin\":\"1\","
                + "\"token\":\"7\"}}");
        SecretRedactor.Redacted redacted = redactor.redact(message, "start_workflow");
        assertThat(redacted.scrub("HTTP 401 from target: secret hs-123456 is wrong"),
                equalTo("HTTP 401 from target: secret [REDACTED] is wrong"));
        assertThat(redacted.toString(), not(containsString("hs-123456")));
    }

    @Test
    void textThatIsNotJsonLosesTheValuesOfSecretLikeNames() {
        SecretRedactor.Redacted redacted = redactor.redact(TextNode.valueOf(
                "{\"hookId\":\"h\", \"hookSecret\" : \"hs-\\\"123456\", \"password\":\"cut-off-pw"), null);
        assertThat(redacted.message().asText(), equalTo(
                "{\"hookId\":\"h\", \"hookSecret\" : \"[REDACTED]\", \"password\":\"[REDACTED]"));
        assertThat(redacted.paths(), containsInAnyOrder("hookSecret", "password"));
    }

    @Test
    void aDispatchMessageNamesItsValuesButNeverShowsThem() throws Exception {
        ObjectNode values = (ObjectNode) mapper.readTree("{\"hookId\":\"h\",\"hookSecret\":\"hs-123456\"}");
        String text = new DispatchMessage("start_workflow", mapper.createObjectNode(), values, "m-1", "k").toString();
        assertThat(text, not(containsString("hs-123456")));
        assertThat(text.contains("hookSecret"), is(true));
    }
}
