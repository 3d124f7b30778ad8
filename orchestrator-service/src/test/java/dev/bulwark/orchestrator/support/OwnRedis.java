package dev.bulwark.orchestrator.support;

import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own ({@code redis-server} on a free port of 127.0.0.1), so a test can stop and
 * restart it without touching the shared Redis. It keeps an append-only file in a temporary directory, synced on
 * every write, so a restart keeps the streams, as a production Redis with persistence does.
 */
public final class OwnRedis implements QuarkusTestResourceLifecycleManager {

    private static volatile OwnRedis current;

    private final int port;
    private final Path directory;
    private Process process;

    public OwnRedis() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
            directory = Files.createTempDirectory("bulwark-own-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server of the running test class. */
    public static OwnRedis server() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        current = this;
        up();
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        down();
    }

    public int port() {
        return port;
    }

    /** Starts the server (again, on the same port and data directory) and waits until it answers. */
    public synchronized void up() {
        try {
            process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--dir", directory.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "always")
                    .redirectErrorStream(true).redirectOutput(directory.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server must be installed for this test", e);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(this::answers);
    }

    /** Stops the server (SIGTERM: it flushes its append-only file) and waits until it is gone. */
    public synchronized void down() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Sends one inline command and returns the first line of the reply. */
    public String command(String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }
    }

    /** {@code PUBSUB NUMPAT}: pattern subscriptions held by all clients of this server. */
    public long patternSubscriptions() throws IOException {
        return Long.parseLong(command("PUBSUB NUMPAT").substring(1));
    }

    private boolean answers() {
        try {
            return command("PING").equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
