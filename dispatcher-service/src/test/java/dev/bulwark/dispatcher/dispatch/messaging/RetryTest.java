package dev.bulwark.dispatcher.dispatch.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.bulwark.dispatcher.testing.Fixtures.PATIENCE;
import static dev.bulwark.dispatcher.testing.Fixtures.awaitErrors;
import static dev.bulwark.dispatcher.testing.Fixtures.ciso;
import static dev.bulwark.dispatcher.testing.Fixtures.send;
import static dev.bulwark.dispatcher.testing.Fixtures.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transient failures are retried with backoff (honouring Retry-After) and the side effect happens once. */
@QuarkusTest
class RetryTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aTargetThatIsDownThenUpGetsTheMessageDeliveredOnce() {
        String ref = unique("flaky");
        String id = unique("ac");
        WireMock api = stubSearch(ref, id);
        String url = "/api/applied-controls/" + id + "/";
        api.register(patch(urlEqualTo(url)).inScenario(ref).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("reset"));
        api.register(patch(urlEqualTo(url)).inScenario(ref).whenScenarioStateIs("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("up"));
        api.register(patch(urlEqualTo(url)).inScenario(ref).whenScenarioStateIs("up")
                .willReturn(okJson("{}")).willSetStateTo("done"));
        api.register(patch(urlEqualTo(url)).inScenario(ref).whenScenarioStateIs("done")
                .willReturn(aResponse().withStatus(409).withBody("applied twice")));

        send(ref, update(ref));

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(3, patchRequestedFor(urlEqualTo(url))));
        await().during(java.time.Duration.ofSeconds(2)).atMost(PATIENCE)
                .untilAsserted(() -> api.verifyThat(3, patchRequestedFor(urlEqualTo(url))));
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheTargetsRetryAfter() {
        String ref = unique("busy");
        String id = unique("ac");
        WireMock api = stubSearch(ref, id);
        String url = "/api/applied-controls/" + id + "/";
        api.register(patch(urlEqualTo(url)).inScenario(ref).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("ok"));
        api.register(patch(urlEqualTo(url)).inScenario(ref).whenScenarioStateIs("ok").willReturn(okJson("{}")));

        send(ref, update(ref));

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(2, patchRequestedFor(urlEqualTo(url))));
        List<LoggedRequest> calls = api.find(patchRequestedFor(urlEqualTo(url)));
        calls.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        long waited = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertThat(waited, greaterThanOrEqualTo(1900L));
    }

    @Test
    void aTargetThatStaysDownGetsTheMessageDeadLetteredAfterTheLastAttempt() throws Exception {
        String ref = unique("down");
        String id = unique("ac");
        WireMock api = stubSearch(ref, id);
        String url = "/api/applied-controls/" + id + "/";
        api.register(patch(urlEqualTo(url)).willReturn(aResponse().withStatus(502)));

        send(ref, update(ref));

        JsonNode letter = mapper.readTree(awaitErrors(ref, 1).get(0).value());
        assertThat(letter.get("attempts").asInt(), equalTo(4));
        assertThat(letter.get("error").asText(), startsWith("HTTP 502"));
        api.verifyThat(4, patchRequestedFor(urlEqualTo(url)));
    }

    @Test
    void aRetriedUploadReusesTheEvidenceItCreatedInsteadOfCreatingAnother() {
        String evidence = unique("ev");
        String fileName = evidence + ".txt";
        WireMock api = ciso();
        api.register(post(urlEqualTo("/api/evidences/")).withRequestBody(WireMock.containing(fileName))
                .willReturn(okJson("{\"id\":\"" + evidence + "\"}")));
        String upload = "/api/evidences/" + evidence + "/upload/";
        api.register(post(urlEqualTo(upload)).inScenario(evidence).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        api.register(post(urlEqualTo(upload)).inScenario(evidence).whenScenarioStateIs("up").willReturn(okJson("{}")));

        send(evidence, "{\"message_type\":\"upload_attachment\",\"selector\":{},\"values\":{\"file_name\":\""
                + fileName + "\",\"file_content\":\"aGVsbG8=\"},\"message_id\":\"" + evidence + "\"}");

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(2, postRequestedFor(urlEqualTo(upload))));
        api.verifyThat(1, postRequestedFor(urlEqualTo("/api/evidences/")).withRequestBody(WireMock.containing(fileName)));
    }

    private static WireMock stubSearch(String ref, String id) {
        WireMock api = ciso();
        api.register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id", WireMock.equalTo(ref))
                .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + id + "\"}]}")));
        return api;
    }

    static String update(String ref) {
        return "{\"message_type\":\"update_applied_control\",\"selector\":{\"ref_id\":\"" + ref
                + "\"},\"values\":{\"priority\":\"1\"}}";
    }
}
