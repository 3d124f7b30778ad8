package dev.bulwark.orchestrator.tester.domain;

import dev.bulwark.orchestrator.job.domain.Job;
import dev.bulwark.orchestrator.tester.domain.Finding.Severity;
import dev.bulwark.orchestrator.tester.domain.RawTlsProbe.ServerHello;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * Tests the TLS set-up of an https system under test: protocol versions offered (SSLv3 to TLS 1.3), weak cipher
 * suites, the certificate chain (trust, validity window, hostname, self-signed, key size, signature algorithm) and
 * the HSTS header. Modern versions and the certificate go through the JDK's TLS stack with a trust-all context;
 * legacy versions and weak suites through {@link RawTlsProbe}. Connections are made by {@link TlsHandshakes}; the
 * certificate rules are {@link CertificateChecks}.
 */
@ApplicationScoped
public class TlsTester implements Tester {

    public static final String NAME = "tls";
    private static final long HSTS_MIN_AGE = 15_552_000L;
    private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*\"?(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Map<Integer, String> WEAK_SUITES = weakSuites();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> inactiveReason(Job job) {
        if (job.tlsSession().isEmpty()) {
            return Optional.of("the job has no tlsScanner");
        }
        return job.target().https() ? Optional.empty()
                : Optional.of("the system under test is not served over https");
    }

    @Override
    public List<String> sessions(Job job) {
        return job.tlsSession().stream().toList();
    }

    @Override
    public String plan(Job job) {
        return "Connect to " + job.target().host() + ":" + job.target().port() + " and check which of SSLv3, "
                + "TLS 1.0, 1.1, 1.2 and 1.3 it accepts, whether it accepts NULL, anonymous, export, DES, 3DES or RC4 "
                + "cipher suites, whether its certificate chain is trusted, in its validity window (warning 30 days "
                + "before expiry), matches the host name, is not self-signed, has a strong key and signature "
                + "algorithm, and whether https responses carry a Strict-Transport-Security header.";
    }

    @Override
    public void run(Job job, String session, TesterContext context) throws Exception {
        String host = job.target().host();
        int port = job.target().port();
        String location = host + ":" + port;
        Duration timeout = context.requestTimeout();
        // raw sockets below: connect only to the address the egress policy checked, never resolve again
        InetAddress address = context.checkEgress(URI.create(job.target().baseUrl() + "/")).get(0);
        TlsHandshakes.checkReachable(address, port, location, timeout);
        context.progress("Probing protocol versions of " + location);

        Map<String, Boolean> versions = new LinkedHashMap<>();
        for (int version : new int[] {RawTlsProbe.SSL_3, RawTlsProbe.TLS_1_0, RawTlsProbe.TLS_1_1}) {
            context.checkStopped();
            boolean accepted = RawTlsProbe.hello(host, address, port, version, suites(RawTlsProbe.COMMON_SUITES),
                            timeout)
                    .map(hello -> hello.version() == version).orElse(false);
            versions.put(versionName(version), accepted);
            if (accepted) {
                context.finding(new Finding("legacy-protocol", version == RawTlsProbe.SSL_3 ? Severity.HIGH
                        : Severity.MEDIUM, versionName(version) + " is accepted", location,
                        "ServerHello with version " + versionName(version) + " to a " + versionName(version)
                                + " ClientHello"));
            }
        }
        for (String modern : List.of("TLSv1.2", "TLSv1.3")) {
            context.checkStopped();
            Optional<SSLSocket> accepted = TlsHandshakes.handshake(host, address, port, modern, timeout);
            accepted.ifPresent(TlsHandshakes::closeQuietly);
            versions.put(modern, accepted.isPresent());
        }
        context.pctComplete(30);

        context.checkStopped();
        boolean weakAccepted = checkWeakSuites(host, address, port, versions, location, context);
        if (!versions.containsValue(true) && !weakAccepted) {
            throw new IOException(location + " completed no TLS handshake, neither SSLv3 nor TLS 1.0 to 1.3 nor with "
                    + "a weak suite: it does not serve TLS");
        }
        if (!versions.get("TLSv1.2") && !versions.get("TLSv1.3")) {
            context.finding(new Finding("no-modern-protocol", Severity.HIGH, "Neither TLS 1.2 nor TLS 1.3 is accepted",
                    location, "accepted: " + versions));
        }
        context.progress("Protocol versions accepted: " + versions);
        context.pctComplete(55);

        context.checkStopped();
        Optional<SSLSocket> connection = TlsHandshakes.handshake(host, address, port, "TLS", timeout);
        if (connection.isEmpty()) {
            context.progress("No handshake with the JDK's TLS stack succeeded: certificate and HSTS not checked");
            context.pctComplete(100);
            return;
        }
        try (SSLSocket socket = connection.get()) {
            X509Certificate[] chain = (X509Certificate[]) socket.getSession().getPeerCertificates();
            context.progress("Checking the certificate chain (" + chain.length + " certificate(s))");
            CertificateChecks.check(chain, host, location, context);
            context.pctComplete(80);
            context.checkStopped();
            checkHsts(socket, host, port, context);
        }
        context.pctComplete(100);
    }


    /** Reports each weak suite the server accepts; true when it accepted any. */
    private boolean checkWeakSuites(String host, InetAddress address, int port, Map<String, Boolean> versions,
                                    String location, TesterContext context) throws IOException, InterruptedException {
        List<Integer> offered = new ArrayList<>(WEAK_SUITES.keySet());
        boolean accepted = false;
        int version = versions.get("TLSv1.2") || !versions.get("TLSv1.0") ? RawTlsProbe.TLS_1_2 : RawTlsProbe.TLS_1_0;
        while (!offered.isEmpty()) {
            context.checkStopped();
            Optional<ServerHello> hello = RawTlsProbe.hello(host, address, port, version, offered,
                    context.requestTimeout());
            if (hello.isEmpty() || !offered.contains(hello.get().cipherSuite())) {
                return accepted;
            }
            accepted = true;
            int suite = hello.get().cipherSuite();
            context.finding(new Finding("weak-cipher", Severity.HIGH, "Weak cipher suite " + WEAK_SUITES.get(suite)
                    + " is accepted", location, String.format("ServerHello chose 0x%04X from a hello offering only "
                    + "weak suites", suite)));
            offered.remove(Integer.valueOf(suite));
        }
        return accepted;
    }


    private void checkHsts(SSLSocket socket, String host, int port, TesterContext context) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUser-Agent: Bulwark-tls-tester\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.ISO_8859_1));
        String status = in.readLine();
        Optional<String> hsts = Optional.empty();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Strict-Transport-Security")) {
                hsts = Optional.of(line.substring(colon + 1).trim());
            }
        }
        String location = "https://" + host + ":" + port + "/";
        if (hsts.isEmpty()) {
            context.finding(new Finding("missing-hsts", Severity.MEDIUM, "No Strict-Transport-Security header",
                    location, status == null ? "no HTTP response" : status + " without Strict-Transport-Security"));
            return;
        }
        Matcher maxAge = MAX_AGE.matcher(hsts.get());
        if (!maxAge.find() || Long.parseLong(maxAge.group(1)) < HSTS_MIN_AGE) {
            context.finding(new Finding("weak-hsts", Severity.LOW,
                    "Strict-Transport-Security max-age is under 180 days", location,
                    "Strict-Transport-Security: " + hsts.get()));
        }
    }


    private static String versionName(int version) {
        return switch (version) {
            case RawTlsProbe.SSL_3 -> "SSLv3";
            case RawTlsProbe.TLS_1_0 -> "TLSv1.0";
            case RawTlsProbe.TLS_1_1 -> "TLSv1.1";
            default -> "TLSv1.2";
        };
    }

    private static List<Integer> suites(int[] suites) {
        return java.util.Arrays.stream(suites).boxed().toList();
    }

    private static Map<Integer, String> weakSuites() {
        Map<Integer, String> suites = new LinkedHashMap<>();
        suites.put(0x0001, "TLS_RSA_WITH_NULL_MD5");
        suites.put(0x0002, "TLS_RSA_WITH_NULL_SHA");
        suites.put(0x003B, "TLS_RSA_WITH_NULL_SHA256");
        suites.put(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5");
        suites.put(0x0004, "TLS_RSA_WITH_RC4_128_MD5");
        suites.put(0x0005, "TLS_RSA_WITH_RC4_128_SHA");
        suites.put(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5");
        suites.put(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA");
        suites.put(0x0009, "TLS_RSA_WITH_DES_CBC_SHA");
        suites.put(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        suites.put(0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA");
        suites.put(0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA");
        suites.put(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA");
        suites.put(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5");
        suites.put(0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA");
        suites.put(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA");
        suites.put(0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA");
        suites.put(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA");
        suites.put(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA");
        suites.put(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA");
        suites.put(0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA");
        suites.put(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA");
        suites.put(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA");
        suites.put(0xC015, "TLS_ECDH_anon_WITH_NULL_SHA");
        suites.put(0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA");
        suites.put(0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA");
        suites.put(0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA");
        suites.put(0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA");
        return java.util.Collections.unmodifiableMap(suites);
    }
}
