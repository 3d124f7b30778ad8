package dev.bulwark.orchestrator.tester.domain;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sends a hand-built ClientHello and reads the server's answer up to its ServerHello. The JDK's TLS stack refuses
 * to offer SSLv3, TLS 1.0/1.1 and weak cipher suites (its security policy, rightly, disables them), so it cannot
 * tell whether a server would accept them; a raw hello can, without completing a handshake.
 */
final class RawTlsProbe {

    static final int SSL_3 = 0x0300;
    static final int TLS_1_0 = 0x0301;
    static final int TLS_1_1 = 0x0302;
    static final int TLS_1_2 = 0x0303;

    /** Suites a TLS 1.0-era server commonly accepts, so a version probe is refused for the version only. */
    static final int[] COMMON_SUITES = {0xC013, 0xC014, 0xC009, 0xC00A, 0x002F, 0x0035, 0x0033, 0x0039, 0x009C,
        0xC02F, 0xC02B, 0x000A, 0x0005, 0x0004, 0x00FF};

    private static final Pattern IP = Pattern.compile("[0-9.]+|.*:.*");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The parts of a ServerHello a probe needs. */
    record ServerHello(int version, int cipherSuite) {
    }

    private RawTlsProbe() {
    }

    /**
     * The server's ServerHello to a hello offering {@code version} and {@code suites}; empty when it refused.
     * {@code host} only names the server in the hello (SNI); the connection goes to {@code address}.
     */
    static Optional<ServerHello> hello(String host, InetAddress address, int port, int version,
                                       Collection<Integer> suites, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(record(version, clientHello(host, version, suites)));
            out.flush();
            return readServerHello(new DataInputStream(socket.getInputStream()));
        } catch (EOFException | java.net.SocketException e) {
            // a server that cannot speak the offered version often just closes the connection
            return Optional.empty();
        }
    }

    private static Optional<ServerHello> readServerHello(DataInputStream in) throws IOException {
        int contentType = in.readUnsignedByte();
        in.readUnsignedShort();
        int length = in.readUnsignedShort();
        if (contentType != 22 || length < 42 || length > 1 << 14) {
            return Optional.empty();
        }
        byte[] body = new byte[length];
        in.readFully(body);
        if ((body[0] & 0xff) != 2) {
            return Optional.empty();
        }
        int version = ((body[4] & 0xff) << 8) | (body[5] & 0xff);
        int sessionIdLength = body[38] & 0xff;
        int at = 39 + sessionIdLength;
        if (at + 2 > body.length) {
            return Optional.empty();
        }
        int suite = ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
        return Optional.of(new ServerHello(version, suite));
    }

    private static byte[] record(int version, byte[] handshake) {
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22);
        u16(record, Math.min(version, TLS_1_0));
        u16(record, handshake.length);
        record.writeBytes(handshake);
        return record.toByteArray();
    }

    private static byte[] clientHello(String host, int version, Collection<Integer> suites) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        body.writeBytes(random);
        body.write(0);
        u16(body, suites.size() * 2);
        suites.forEach(suite -> u16(body, suite));
        body.write(1);
        body.write(0);
        if (version > SSL_3) {
            byte[] extensions = extensions(host, version);
            u16(body, extensions.length);
            body.writeBytes(extensions);
        }
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1);
        int length = body.size();
        handshake.write(length >>> 16);
        u16(handshake, length & 0xffff);
        handshake.writeBytes(body.toByteArray());
        return handshake.toByteArray();
    }

    private static byte[] extensions(String host, int version) {
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        if (!IP.matcher(host).matches()) {
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            u16(ext, 0x0000);
            u16(ext, name.length + 5);
            u16(ext, name.length + 3);
            ext.write(0);
            u16(ext, name.length);
            ext.writeBytes(name);
        }
        int[] groups = {0x001d, 0x0017, 0x0018, 0x0019};
        u16(ext, 0x000a);
        u16(ext, groups.length * 2 + 2);
        u16(ext, groups.length * 2);
        for (int group : groups) {
            u16(ext, group);
        }
        u16(ext, 0x000b);
        u16(ext, 2);
        ext.write(1);
        ext.write(0);
        if (version >= TLS_1_2) {
            int[] algorithms = {0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0201,
                0x0203};
            u16(ext, 0x000d);
            u16(ext, algorithms.length * 2 + 2);
            u16(ext, algorithms.length * 2);
            for (int algorithm : algorithms) {
                u16(ext, algorithm);
            }
        }
        u16(ext, 0xff01);
        u16(ext, 1);
        ext.write(0);
        return ext.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write((value >>> 8) & 0xff);
        out.write(value & 0xff);
    }
}
