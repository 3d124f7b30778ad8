package dev.bulwark.dispatcher.suite.domain;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.bulwark.dispatcher.testing.Fixtures.PATIENCE;
import static dev.bulwark.dispatcher.testing.Fixtures.awaitRecords;
import static dev.bulwark.dispatcher.testing.Fixtures.send;
import static dev.bulwark.dispatcher.testing.Fixtures.suite;
import static dev.bulwark.dispatcher.testing.Fixtures.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The suite handlers' calls, in the shapes of the services' READMEs, with the dispatcher's service-account token. WireMock stands
 * in for the issuer, workflow-service, backbone and relay: they are not runnable in this module's build.
 */
@QuarkusTest
class SuiteHandlersTest {

    private static final String BEARER = "Bearer dispatcher-token";

    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void issuer() {
        suite().register(post(urlEqualTo("/api/v1/auth/token"))
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("client_id=dispatcher-test"))
                .withRequestBody(containing("client_secret=dispatcher-test-secret"))
                .willReturn(okJson("{\"access_token\":\"dispatcher-token\",\"token_type\":\"Bearer\","
                        + "\"expires_in\":900}")));
    }

    @Test
    void startWorkflowExecutesTheWorkflowWithTheServiceAccountToken() {
        String workflow = unique("wf");
        WireMock api = suite();
        api.register(post(urlEqualTo("/api/v1/workflows/" + workflow + "/execute")).willReturn(aResponse()
                .withStatus(202).withHeader("Content-Type", "application/json")
                .withBody("{\"executionId\":\"ex-1\",\"status\":\"QUEUED\"}")));

        send(workflow, "{\"message_type\":\"start_workflow\",\"selector\":{},\"values\":{\"workflowId\":\""
                + workflow + "\",\"argument\":{\"alert\":{\"src_ip\":\"10.0.0.1\"}},\"priority\":5}}");

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1,
                postRequestedFor(urlEqualTo("/api/v1/workflows/" + workflow + "/execute"))
                        .withHeader("Authorization", equalTo(BEARER))
                        .withRequestBody(equalToJson("{\"argument\":{\"alert\":{\"src_ip\":\"10.0.0.1\"}},"
                                + "\"priority\":5}"))));
    }

    @Test
    void startWorkflowThroughAWebhookSendsTheSecretAndTheArgument() {
        String hook = unique("hook");
        WireMock api = suite();
        api.register(post(urlEqualTo("/api/v1/hooks/" + hook)).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withBody("{\"executionId\":\"ex-2\"}")));

        send(hook, "{\"message_type\":\"start_workflow\",\"selector\":{},\"values\":{\"hookId\":\"" + hook
                + "\",\"hookSecret\":\"s3cret\",\"argument\":{\"ip\":\"1.1.1.1\"}}}");

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1,
                postRequestedFor(urlEqualTo("/api/v1/hooks/" + hook))
                        .withHeader("X-Bulwark-Hook-Secret", equalTo("s3cret"))
                        .withRequestBody(equalToJson("{\"ip\":\"1.1.1.1\"}"))));
    }

    @Test
    void sendMessagePublishesOnTheBackboneWithTheMessageIdAsCorrelationId() {
        String topic = unique("soc.alerts");
        String messageId = unique("msg");
        WireMock api = suite();
        api.register(post(urlEqualTo("/api/v1/send")).withRequestBody(containing(topic)).willReturn(aResponse()
                .withStatus(202).withHeader("Content-Type", "application/json").withBody("{\"id\":\"m-1\"}")));

        send(topic, "{\"message_type\":\"send_message\",\"values\":{\"topic\":\"" + topic
                + "\",\"payload\":{\"text\":\"1.1.1.1 is malicious\"}},\"message_id\":\"" + messageId + "\"}");

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1, postRequestedFor(urlEqualTo("/api/v1/send"))
                .withHeader("Authorization", equalTo(BEARER))
                .withRequestBody(equalToJson("{\"topic\":\"" + topic + "\",\"payload\":{\"text\":"
                        + "\"1.1.1.1 is malicious\"},\"correlationId\":\"" + messageId + "\"}"))));
    }

    @Test
    void lookupObservablesSendsTheRelayAnswerToTheReplyTopic() throws Exception {
        String key = unique("case");
        String replyTopic = unique("test-replies");
        String observable = "{\"type\":\"ip\",\"value\":\"" + key + "\"}";
        WireMock api = suite();
        api.register(post(urlEqualTo("/observe/observables")).withRequestBody(equalToJson("[" + observable + "]"))
                .willReturn(okJson("{\"data\":{\"verdicts\":{\"count\":1,\"docs\":[{\"disposition\":2}]}}}")));

        send(key, "{\"message_type\":\"lookup_observables\",\"selector\":{},\"values\":{\"observables\":["
                + observable + "],\"replyTopic\":\"" + replyTopic + "\"},\"message_id\":\"" + key + "\"}");

        ConsumerRecord<String, String> reply = awaitRecords(replyTopic, r -> key.equals(r.key()), 1).get(0);
        JsonNode value = mapper.readTree(reply.value());
        assertThat(value.get("message_id").asText(), is(key));
        assertThat(value.get("result").get("data").get("verdicts").get("docs").get(0).get("disposition").asInt(),
                is(2));
        assertThat(value.get("observables").get(0).get("value").asText(), is(key));
        api.verifyThat(1, postRequestedFor(urlEqualTo("/observe/observables"))
                .withHeader("Authorization", equalTo(BEARER)));
    }
}
