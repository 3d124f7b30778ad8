package dev.bulwark.orchestrator.tester.domain;

import dev.bulwark.common.egress.TrustAll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Connections of the {@code tls} tester through the JDK's TLS stack with a trust-all context, always to the address
 * the egress policy checked (legacy versions and weak suites go through {@link RawTlsProbe} instead).
 */
final class TlsHandshakes {

    static final Pattern IP = Pattern.compile("[0-9.]+|.*:.*");

    private TlsHandshakes() {
    }

    /** An unreachable target is a failed session, not a server without modern protocols. */
    static void checkReachable(InetAddress address, int port, String location, Duration timeout)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
        } catch (IOException e) {
            throw new IOException("Cannot connect to " + location + ": " + e.getMessage(), e);
        }
    }

    /** A handshake with the JDK's stack for one protocol ({@code TLS}: the best both sides have), or none. */
    static Optional<SSLSocket> handshake(String host, InetAddress address, int port, String protocol,
                                         Duration timeout) {
        SSLSocket socket = null;
        try {
            socket = (SSLSocket) TrustAll.context("TLS").getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            SSLParameters parameters = socket.getSSLParameters();
            if (!protocol.equals("TLS")) {
                parameters.setProtocols(new String[] {protocol});
            }
            if (!IP.matcher(host).matches()) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return Optional.of(socket);
        } catch (IOException | IllegalArgumentException e) {
            closeQuietly(socket);
            return Optional.empty();
        }
    }

    static void closeQuietly(SSLSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the probe already failed; nothing to report about closing it
            }
        }
    }
}
