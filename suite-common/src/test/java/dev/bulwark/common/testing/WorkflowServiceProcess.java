package dev.bulwark.common.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real workflow-service — the suite's issuer — started from its packaged jar for cross-service tests. It runs in
 * a schema of its own inside {@code bulwark_workflow}, so it bootstraps a fresh organisation and admin, and signs
 * with the suite test key pair. Other services under test point their JWKS location at {@link #jwksUrl()} and get
 * real tokens from {@link #clientCredentialsToken}. Build workflow-service first ({@code -am} does).
 */
public final class WorkflowServiceProcess implements AutoCloseable {

    public static final String ADMIN_EMAIL = "admin@it.bulwark.local";
    public static final String ADMIN_PASSWORD = "It-Admin-Password-2026!";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

    private static final String DATABASE = "jdbc:postgresql://localhost:5432/bulwark_workflow";

    private final Process process;
    private final String url;
    private final Path workDir;
    private final String schema;

    private WorkflowServiceProcess(Process process, String url, Path workDir, String schema) {
        this.process = process;
        this.url = url;
        this.workDir = workDir;
        this.schema = schema;
    }

    /** Starts the packaged workflow-service found beside the calling module and waits until it is ready. */
    public static WorkflowServiceProcess start() {
        Path jar = Path.of("..", "workflow-service", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build workflow-service first (mvn -am)");
        }
        try {
            Path workDir = Files.createTempDirectory("bulwark-issuer-");
            Path privateKey = copyResource("bulwark-test-keys/private.pem", workDir);
            int port = freePort();
            String schema = "it_" + UUID.randomUUID().toString().replace("-", "");
            String url = "http://localhost:" + port;
            ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("workflow-service.log").toFile());
            builder.environment().putAll(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "QUARKUS_DATASOURCE_JDBC_URL",
                    DATABASE + "?currentSchema=" + schema,
                    "QUARKUS_FLYWAY_SCHEMAS", schema,
                    "QUARKUS_HIBERNATE_ORM_DATABASE_DEFAULT_SCHEMA", schema,
                    "BULWARK_ISSUER_PRIVATE_KEY", privateKey.toString(),
                    "QUARKUS_MANAGEMENT_PORT", Integer.toString(freePort()),
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION", url + "/.well-known/jwks.json",
                    "BULWARK_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL,
                    "BULWARK_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD));
            builder.environment().put("BULWARK_REVOCATION_URL", url + "/.well-known/revocations.json");
            WorkflowServiceProcess started = new WorkflowServiceProcess(builder.start(), url, workDir, schema);
            started.awaitReady();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start workflow-service", e);
        }
    }

    public String url() {
        return url;
    }

    /** The issuer's revocation list: services under test read it with {@code bulwark.revocation.url}. */
    public String revocationUrl() {
        return url + "/.well-known/revocations.json";
    }

    public String jwksUrl() {
        return url + "/.well-known/jwks.json";
    }

    /** A token of the bootstrapped admin, by the password grant. */
    public String adminToken() {
        return token(Map.of("grant_type", "password", "username", ADMIN_EMAIL, "password", ADMIN_PASSWORD));
    }

    /** Creates a service account through the admin API and returns its credentials as the API returned them. */
    public JsonPath createServiceAccount(String name, String... roles) {
        return given().baseUri(url).auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "roles", List.of(roles)))
                .when().post("/api/v1/service-accounts")
                .then().statusCode(201).extract().jsonPath();
    }

    public String clientCredentialsToken(String clientId, String clientSecret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret));
    }

    private String token(Map<String, String> request) {
        return given().baseUri(url).contentType(ContentType.JSON).body(request)
                .when().post("/api/v1/auth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("workflow-service exited during start; see " + log());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            process.onExit().completeOnTimeout(null, 250, java.util.concurrent.TimeUnit.MILLISECONDS).join();
        }
        close();
        throw new IllegalStateException("workflow-service not ready within " + START_TIMEOUT + "; see " + log());
    }

    private Path log() {
        return workDir.resolve("workflow-service.log");
    }

    @Override
    public void close() {
        process.destroy();
        process.onExit().completeOnTimeout(null, 20, java.util.concurrent.TimeUnit.SECONDS).join();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        dropSchema();
    }

    /** Needs the PostgreSQL JDBC driver on the test classpath of the calling module. */
    private void dropSchema() {
        try (Connection connection = DriverManager.getConnection(DATABASE, "bulwark", "bulwark");
             Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop the test schema " + schema, e);
        }
    }

    private static Path copyResource(String resource, Path dir) throws IOException {
        Path target = dir.resolve(Path.of(resource).getFileName());
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + resource);
            }
            Files.copy(in, target);
        }
        return target;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
