package dev.bulwark.workflow.identity.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/** Reads PEM text from a file or classpath resource, and writes a fresh RSA key pair as PEM files. */
final class PemFiles {

    private PemFiles() {
    }

    static boolean exists(String location) {
        return Files.isRegularFile(Path.of(location)) || resource(location) != null;
    }

    static String read(String location) {
        try {
            Path file = Path.of(location);
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            try (InputStream in = resource(location)) {
                if (in == null) {
                    throw new IllegalStateException("Key " + location + " is neither a file nor a classpath resource");
                }
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read key " + location, e);
        }
    }

    /** Writes a new RSA 2048 private key readable by the owner only, and its public key where one is wanted. */
    static void generate(Path privateKey, Optional<Path> publicKey) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(privateKey.toAbsolutePath().getParent());
            createOwnerOnly(privateKey);
            Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate()), StandardCharsets.US_ASCII);
            if (publicKey.isPresent() && !Files.exists(publicKey.get())) {
                Files.createDirectories(publicKey.get().toAbsolutePath().getParent());
                Files.writeString(publicKey.get(), pem("PUBLIC KEY", pair.getPublic()), StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a new key pair to " + privateKey, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no RSA key generator", e);
        }
    }

    /**
     * Creates the file readable by its owner only before any key byte is written, so the key is never readable by
     * others, not even for a moment. On a non-POSIX file system the directory's own permissions protect it.
     */
    private static void createOwnerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
    }

    private static String pem(String type, Key key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static InputStream resource(String location) {
        return Thread.currentThread().getContextClassLoader().getResourceAsStream(location);
    }
}
