package dev.bulwark.dispatcher.dispatch.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.bulwark.dispatcher.testing.Fixtures.PATIENCE;
import static dev.bulwark.dispatcher.testing.Fixtures.ciso;
import static dev.bulwark.dispatcher.testing.Fixtures.send;
import static dev.bulwark.dispatcher.testing.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesRegex;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Per-handler counters and latency, and the Kafka consumer's lag, on /q/metrics. */
@QuarkusTest
class MetricsTest {

    @Test
    void handledAndDeadLetteredMessagesAndConsumerLagAreExported() {
        String ref = unique("metric");
        WireMock api = ciso();
        api.register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id", WireMock.equalTo(ref))
                .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + ref + "\"}]}")));
        api.register(patch(urlEqualTo("/api/applied-controls/" + ref + "/")).willReturn(okJson("{}")));
        send(ref, RetryTest.update(ref));
        send(ref, "][");
        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1,
                patchRequestedFor(urlEqualTo("/api/applied-controls/" + ref + "/"))));

        await().atMost(PATIENCE).untilAsserted(() -> given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString(
                        "bulwark_dispatcher_messages_total{handler=\"update_applied_control\",outcome=\"handled\"}"))
                .body(containsString("bulwark_dispatcher_messages_total{handler=\"none\",outcome=\"dead_lettered\"}"))
                .body(containsString("bulwark_dispatcher_latency_seconds_count{handler=\"update_applied_control\"}"))
                .body(containsString("bulwark_dispatcher_in_flight"))
                .body(containsString("kafka_consumer_fetch_manager_records_lag")));
    }

    @Test
    void theInFlightGaugeStillCountsAfterAGarbageCollection() {
        System.gc();
        given().when().get("/q/metrics").then().statusCode(200)
                .body(matchesRegex("(?s).*\nbulwark_dispatcher_in_flight [0-9]+\\.0\n.*"));
    }
}
