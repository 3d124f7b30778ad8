package dev.bulwark.dispatcher.suite.client;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.bulwark.dispatcher.testing.Fixtures.suite;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service-account token is reused while valid, renewed before it expires, and dropped on demand. */
@QuarkusTest
class ServiceTokensTest {

    @Inject
    DispatcherConfig config;

    private List<StubMapping> stubs = List.of();

    @AfterEach
    void removeStubs() {
        stubs.forEach(stub -> suite().removeStubMapping(stub));
    }

    @Test
    void aTokenIsReusedThenRenewedAheadOfItsExpiry() {
        WireMock issuer = suite();
        String scenario = "renewal-" + System.nanoTime();
        // 61 s of life with renewal 60 s ahead: due for renewal after one second.
        stubs = List.of(
                issuer.register(post(urlEqualTo("/api/v1/auth/token")).inScenario(scenario)
                        .whenScenarioStateIs(STARTED).willSetStateTo("second")
                        .willReturn(okJson("{\"access_token\":\"first\",\"token_type\":\"Bearer\",\"expires_in\":61}"))),
                issuer.register(post(urlEqualTo("/api/v1/auth/token")).inScenario(scenario)
                        .whenScenarioStateIs("second").willSetStateTo("third")
                        .willReturn(okJson("{\"access_token\":\"second\",\"token_type\":\"Bearer\",\"expires_in\":3600}"))),
                issuer.register(post(urlEqualTo("/api/v1/auth/token")).inScenario(scenario)
                        .whenScenarioStateIs("third")
                        .willReturn(okJson("{\"access_token\":\"third\",\"token_type\":\"Bearer\",\"expires_in\":3600}"))));
        int before = issuer.find(postRequestedFor(urlEqualTo("/api/v1/auth/token"))).size();
        ServiceTokens tokens = new ServiceTokens(config);

        assertThat(tokens.authorization(), equalTo("Bearer first"));
        assertThat(tokens.authorization(), equalTo("Bearer first"));
        assertThat(issuer.find(postRequestedFor(urlEqualTo("/api/v1/auth/token"))).size() - before, equalTo(1));

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> tokens.authorization().equals("Bearer second"));
        assertThat(tokens.authorization(), equalTo("Bearer second"));

        tokens.invalidate();
        assertThat(tokens.authorization(), equalTo("Bearer third"));
    }
}
