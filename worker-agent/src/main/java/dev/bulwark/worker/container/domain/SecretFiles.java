package dev.bulwark.worker.container.domain;

import dev.bulwark.worker.config.WorkerConfig;
import dev.bulwark.worker.identity.domain.AgentIdentity;
import io.quarkus.logging.Log;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The secrets of a container app (its credential, its execution token) as files, never in its environment: each
 * task attempt gets a directory {@code <secrets-dir>/<agent name>/<task>-<attempt>} only the agent can enter (0700),
 * holding one file per secret, owned by the container's user with mode 0400 (0444 inside the closed directory when
 * the agent may not change owners). Each file is bind-mounted read-only into the container under
 * {@value #MOUNT_DIR}; the directory is deleted when the task ends, and at start whatever an earlier instance of
 * this agent left there.
 */
@Singleton
public final class SecretFiles {

    /** Where the files appear inside the container. */
    public static final String MOUNT_DIR = "/run/bulwark";

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> WRITING = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_READ = PosixFilePermissions.fromString("r--------");
    private static final Set<PosixFilePermission> ALL_READ = PosixFilePermissions.fromString("r--r--r--");

    private final Path root;
    private final Integer uid;
    private final Integer gid;

    @Inject
    SecretFiles(WorkerConfig config, AgentIdentity identity) {
        this(Path.of(config.container().secretsDir()), identity, config.container().user());
    }

    /** {@code user} is the containers' user ({@code uid[:gid]}); a user name leaves the files' owner unchanged. */
    public SecretFiles(Path base, AgentIdentity identity, String user) {
        this.root = base.resolve(identity.name().replaceAll("[^A-Za-z0-9._-]", "_"));
        String[] ids = user.split(":", 2);
        this.uid = number(ids[0]);
        this.gid = ids.length > 1 ? number(ids[1]) : uid;
    }

    /** Where the file of that name appears inside the container. */
    public static String mounted(String name) {
        return MOUNT_DIR + "/" + name;
    }

    /** The directory of this agent's secret files. */
    public Path root() {
        return root;
    }

    /** Writes the given files (name → content) for one task attempt; close the result to delete them. */
    public Staged stage(String taskId, int attempt, Map<String, String> files) throws IOException {
        createPrivateDirectory(root.getParent());
        createPrivateDirectory(root);
        Path dir = root.resolve((taskId + "-" + attempt).replaceAll("[^A-Za-z0-9._-]", "_"));
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            delete(dir);
        }
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        Staged staged = new Staged(dir, new LinkedHashMap<>());
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = dir.resolve(file.getKey());
                Files.createFile(path, PosixFilePermissions.asFileAttribute(WRITING));
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8, StandardOpenOption.WRITE);
                handOver(path);
                staged.files().put(file.getKey(), path);
            }
        } catch (IOException | RuntimeException e) {
            staged.close();
            throw e;
        }
        return staged;
    }

    /** Deletes what an earlier instance of this agent left behind (before this one runs any task). */
    public void clear() {
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> left = Files.list(root)) {
                List<Path> dirs = left.toList();
                for (Path dir : dirs) {
                    delete(dir);
                }
                if (!dirs.isEmpty()) {
                    Log.infof("Removed the secret files of %d task(s) left behind in %s", dirs.size(), root);
                }
            } catch (IOException | UncheckedIOException e) {
                Log.warnf("Could not clear %s: %s", root, e.getMessage());
            }
        }
    }

    /** Gives the file to the container's user, readable by it alone; else readable inside the closed directory. */
    private void handOver(Path path) throws IOException {
        if (uid != null) {
            try {
                Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(path, OWNER_READ);
                return;
            } catch (IOException | UnsupportedOperationException e) {
                Log.debugf("cannot give %s to uid %d (%s): readable by all inside the agent's closed directory",
                        path, uid, e.getMessage());
            }
        }
        Files.setPosixFilePermissions(path, ALL_READ);
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (FileAlreadyExistsException e) {
            // made by an earlier task
        }
    }

    private static void delete(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    private static Integer number(String text) {
        return text.chars().allMatch(Character::isDigit) && !text.isEmpty() ? Integer.valueOf(text) : null;
    }

    /** The files of one task attempt: name → host path. Closing deletes them. */
    public record Staged(Path dir, Map<String, Path> files) implements AutoCloseable {

        @Override
        public void close() {
            try {
                delete(dir);
            } catch (IOException e) {
                Log.warnf("Could not delete %s: %s (the agent's next start deletes it)", dir, e.getMessage());
            }
        }
    }
}
