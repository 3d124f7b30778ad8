package dev.bulwark.relay.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Stands in for the third-party HTTP servers the relay talks to and that cannot run here: the XDR platform's JWKS
 * hosts (allow-listed as {@code localhost:<port>} and, for a slow host, {@code 127.0.0.1:<port>}) and remote feed
 * servers.
 */
public class ThirdPartyServer implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return Map.of("bulwark.relay.auth.configuration-tokens.allowed-jwks-hosts",
                "localhost:" + server.port() + ",127.0.0.1:" + server.port(),
                "bulwark.relay.auth.configuration-tokens.fetch-timeout", "PT1S");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
