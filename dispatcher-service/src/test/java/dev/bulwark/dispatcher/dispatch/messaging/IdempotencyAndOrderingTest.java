package dev.bulwark.dispatcher.dispatch.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.bulwark.dispatcher.testing.Fixtures.PATIENCE;
import static dev.bulwark.dispatcher.testing.Fixtures.ciso;
import static dev.bulwark.dispatcher.testing.Fixtures.send;
import static dev.bulwark.dispatcher.testing.Fixtures.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A message id is applied once however often it arrives; records of one key keep their order under concurrency. */
@QuarkusTest
class IdempotencyAndOrderingTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    DispatcherConfig config;

    @Test
    void aMessageIdAlreadyCompletedIsNotAppliedAgain() {
        String ref = unique("once");
        String id = unique("ac");
        WireMock api = ciso();
        api.register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id", WireMock.equalTo(ref))
                .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + id + "\"}]}")));
        api.register(patch(urlEqualTo("/api/applied-controls/" + id + "/")).willReturn(okJson("{}")));
        String messageId = unique("msg");

        send(ref, update(ref, "1", messageId));
        send(ref, update(ref, "1", messageId));
        // Same key, so same lane: once this one is applied, the duplicate before it has had its turn.
        send(ref, update(ref, "2", unique("msg")));

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1,
                patchRequestedFor(urlEqualTo("/api/applied-controls/" + id + "/"))
                        .withRequestBody(WireMock.equalToJson("{\"priority\":\"2\"}"))));
        api.verifyThat(1, patchRequestedFor(urlEqualTo("/api/applied-controls/" + id + "/"))
                .withRequestBody(WireMock.equalToJson("{\"priority\":\"1\"}")));
    }

    @Test
    void recordsOfOneKeyKeepTheirOrderWhileKeysRunConcurrently() throws Exception {
        int perKey = 20;
        int delayMs = 100;
        // Keys on four different lanes: random keys share one now and then (all four in 1 of 512 runs), and a shared
        // lane runs its records one at a time.
        Map<Integer, String> byLane = new HashMap<>();
        while (byLane.size() < 4) {
            String key = unique("lane");
            byLane.putIfAbsent(Math.floorMod(key.hashCode(), config.concurrency()), key);
        }
        List<String> keys = new ArrayList<>(byLane.values());
        WireMock api = ciso();
        for (String key : keys) {
            api.register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id", WireMock.equalTo(key))
                    .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + key + "\"}]}")
                            .withFixedDelay(delayMs)));
            api.register(patch(urlEqualTo("/api/applied-controls/" + key + "/")).willReturn(okJson("{}")));
        }

        for (int seq = 0; seq < perKey; seq++) {
            for (String key : keys) {
                send(key, update(key, Integer.toString(seq), null));
            }
        }

        List<String> expected = IntStream.range(0, perKey).mapToObj(Integer::toString).collect(Collectors.toList());
        for (String key : keys) {
            String url = "/api/applied-controls/" + key + "/";
            await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(perKey, patchRequestedFor(urlEqualTo(url))));
            List<LoggedRequest> patches = new ArrayList<>(api.find(patchRequestedFor(urlEqualTo(url))));
            patches.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
            List<String> order = new ArrayList<>();
            for (LoggedRequest request : patches) {
                order.add(mapper.readTree(request.getBodyAsString()).get("priority").asText());
            }
            assertThat("order of " + key, order, contains(expected.toArray()));
        }

        // Run one at a time, two searches would be at least the search's delay apart; lanes overlap them.
        List<Long> searches = new ArrayList<>();
        for (String key : keys) {
            api.find(getRequestedFor(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id",
                    WireMock.equalTo(key))).forEach(r -> searches.add(r.getLoggedDate().getTime()));
        }
        searches.sort(Long::compare);
        long closest = IntStream.range(1, searches.size()).mapToLong(i -> searches.get(i) - searches.get(i - 1))
                .min().orElseThrow();
        assertThat(closest, lessThan((long) delayMs / 2));
    }

    private static String update(String ref, String priority, String messageId) {
        return "{\"message_type\":\"update_applied_control\",\"selector\":{\"ref_id\":\"" + ref
                + "\"},\"values\":{\"priority\":\"" + priority + "\"}"
                + (messageId == null ? "" : ",\"message_id\":\"" + messageId + "\"") + "}";
    }
}
