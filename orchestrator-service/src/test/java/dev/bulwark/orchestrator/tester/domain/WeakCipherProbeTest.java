package dev.bulwark.orchestrator.tester.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.common.egress.EgressPolicy;
import dev.bulwark.common.egress.EgressRules;
import dev.bulwark.orchestrator.job.domain.Job;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * No JDK server can be made to accept 3DES, so a scripted server answers the raw hellos: it chooses
 * TLS_RSA_WITH_3DES_EDE_CBC_SHA when a TLS 1.2 hello offers it and refuses everything else.
 */
class WeakCipherProbeTest {

    private static final int TRIPLE_DES = 0x000A;

    @Test
    void aServerChoosingAWeakSuiteIsReportedOnceWithTheSuiteName() throws Exception {
        List<Integer> helloVersions = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> serve(server, helloVersions));
            serving.setDaemon(true);
            serving.start();
            List<Finding> findings = new CopyOnWriteArrayList<>();
            Job job = new Job("BrowserApp", new Job.Target("https", "127.0.0.1", server.getLocalPort()),
                    Job.Authentication.none(), List.of(), Optional.of("NA"));

            new TlsTester().run(job, "NA", new Recording(findings));

            assertThat(findings).extracting(Finding::kind).containsExactlyInAnyOrder("weak-cipher",
                    "no-modern-protocol");
            assertThat(findings).filteredOn(f -> f.kind().equals("weak-cipher")).singleElement()
                    .satisfies(f -> assertThat(f.title()).contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
            assertThat(helloVersions).as("SSLv3, TLS 1.0 and 1.1 were probed").contains(0x0300, 0x0301, 0x0302);
        }
    }

    private static void serve(ServerSocket server, List<Integer> helloVersions) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                in.readUnsignedByte();
                in.readUnsignedShort();
                byte[] body = new byte[in.readUnsignedShort()];
                in.readFully(body);
                int version = ((body[4] & 0xff) << 8) | (body[5] & 0xff);
                helloVersions.add(version);
                int at = 39 + (body[38] & 0xff);
                int suitesLength = ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
                boolean offersTripleDes = false;
                for (int i = at + 2; i < at + 2 + suitesLength; i += 2) {
                    offersTripleDes |= (((body[i] & 0xff) << 8) | (body[i + 1] & 0xff)) == TRIPLE_DES;
                }
                OutputStream out = socket.getOutputStream();
                if (version == 0x0303 && offersTripleDes) {
                    byte[] hello = new byte[4 + 38];
                    hello[0] = 2;
                    hello[3] = 38;
                    hello[4] = 3;
                    hello[5] = 3;
                    hello[4 + 35] = 0;
                    hello[4 + 36] = (byte) TRIPLE_DES;
                    out.write(new byte[] {22, 3, 3, 0, (byte) hello.length});
                    out.write(hello);
                } else {
                    out.write(new byte[] {21, 3, 3, 0, 2, 2, 40});
                }
                out.flush();
            } catch (IOException | RuntimeException e) {
                // a probe that gives up mid-hello, or the test closing the server
            }
        }
    }

    /** A context that only records findings. */
    private record Recording(List<Finding> findings) implements TesterContext {
        @Override
        public void progress(String message) {
        }

        @Override
        public void pctComplete(int pct) {
        }

        @Override
        public void finding(Finding finding) {
            findings.add(finding);
        }

        @Override
        public void checkStopped() {
        }

        @Override
        public Duration requestTimeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public List<InetAddress> checkEgress(URI uri) {
            return EgressPolicy.of(new EgressRules(List.of(), List.of("127.0.0.0/8"), List.of())).check(uri);
        }

        @Override
        public long maxResponseBody() {
            return 1024;
        }
    }
}
