package dev.bulwark.workflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server of the test's own (Debian's binaries, a temporary data directory, a free port on
 * 127.0.0.1, role {@code bulwark} trusted, database {@code bulwark_workflow}), which a test may stop and start again.
 * The shared PostgreSQL is never touched. As root the server runs as the {@code postgres} user, as initdb requires.
 */
public final class OwnPostgres implements AutoCloseable {

    private static final Path BINARIES = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final int port;

    private OwnPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    public static OwnPostgres start() {
        try {
            Path bin = binaries();
            Path dir = Files.createTempDirectory("bulwark-own-pg-");
            OwnPostgres postgres = new OwnPostgres(bin, dir, freePort());
            if (root()) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            postgres.pg("initdb", "-D", dir.resolve("data").toString(), "-U", "bulwark", "-A", "trust", "-E", "UTF8",
                    "--no-sync");
            postgres.up();
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "bulwark", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("create database bulwark_workflow");
            }
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database of the test's own PostgreSQL", e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Starts the server (again) on the same port and data, and waits until it accepts connections. */
    public void up() {
        pg("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("postgres.log").toString(), "-w", "-t",
                "120", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Stops the server at once, as a crash would: open connections break. */
    public void down() {
        pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                down();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void pg(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (root()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The newest installed major version's binaries (Debian: /usr/lib/postgresql/<major>/bin). */
    private static Path binaries() throws IOException {
        if (!Files.isDirectory(BINARIES)) {
            throw new IllegalStateException("PostgreSQL server binaries are missing: install Debian's postgresql");
        }
        try (Stream<Path> versions = Files.list(BINARIES)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("No initdb under " + BINARIES));
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
