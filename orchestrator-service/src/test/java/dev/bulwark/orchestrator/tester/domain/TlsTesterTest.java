package dev.bulwark.orchestrator.tester.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.orchestrator.support.Jobs;
import dev.bulwark.orchestrator.support.Runs;
import dev.bulwark.orchestrator.support.TargetTls;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TlsTesterTest {

    @Test
    void findsTheExpiredSelfSignedCertificateAndTls10() throws Exception {
        assertThat(SSLContext.getDefault().getSupportedSSLParameters().getProtocols())
                .as("the test JVM lets the target offer TLS 1.0 (legacy-tls.security)").contains("TLSv1");
        try (TargetTls target = TargetTls.planted()) {
            String run = Runs.start(Jobs.tls(target.port()));
            JsonNode ended = Runs.awaitEnded(run);

            assertThat(ended.path("status").asText()).isEqualTo("FINISHED");
            List<JsonNode> findings = Runs.findings(run, "tls");
            assertThat(Runs.kinds(findings)).containsExactly("certificate-expired", "hostname-mismatch",
                    "legacy-protocol", "missing-hsts", "self-signed");
            assertThat(findings).filteredOn(f -> f.path("kind").asText().equals("legacy-protocol"))
                    .extracting(f -> f.path("title").asText()).containsExactly("TLSv1.0 is accepted");
            assertThat(findings).allSatisfy(f -> assertThat(f.path("evidence").asText()).isNotBlank());
        }
    }

    @Test
    void aModernTargetHasNoProtocolExpiryHostnameOrHstsFindings() throws Exception {
        try (TargetTls target = TargetTls.modern()) {
            String run = Runs.start(Jobs.tls(target.port()));
            Runs.awaitEnded(run);

            assertThat(Runs.kinds(Runs.findings(run, "tls")))
                    .as("a self-signed test certificate is all that is left").containsExactly("self-signed");
        }
    }

    @Test
    void aClosedPortIsAFailedSessionNotAFinding() throws Exception {
        int port;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = unused.getLocalPort();
        }
        String run = Runs.start(Jobs.tls(port));
        JsonNode ended = Runs.awaitEnded(run);

        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        JsonNode session = ended.path("testers").get(0).path("sessions").get(0);
        assertThat(session.path("status").asText()).isEqualTo("FAILED");
        assertThat(session.path("message").asText()).contains("Cannot connect to 127.0.0.1:" + port);
        assertThat(Runs.findings(run, "tls")).isEmpty();
    }
}
