package dev.bulwark.workflow.database.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.workflow.testing.OwnPostgres;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 (d): the packaged workflow-service on a PostgreSQL of the test's own, which the test stops (as a crash
 * would) and starts again. While it is down every API answers 503 problems with Retry-After and readiness is down;
 * once it is back the same process serves again, without a restart.
 */
class DatabaseOutageIT {

    private static final String ADMIN = "admin@outage.bulwark.local";
    private static final String PASSWORD = "Outage-Admin-Password-2026!";

    @Test
    void whilePostgresIsDownEveryApiAnswers503AndAfterwardsItServesAgain() throws Exception {
        Path workDir = Files.createTempDirectory("bulwark-outage-");
        try (OwnPostgres postgres = OwnPostgres.start()) {
            int port = freePort();
            String url = "http://localhost:" + port;
            Process service = start(postgres, workDir, port, url);
            try {
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ready(url));
                String token = token(url).then().statusCode(200).extract().path("access_token");
                String workflow = api(url, token).body(TestWorkflows.resource("single.json"))
                        .post("/api/v1/workflows").then().statusCode(201).extract().path("id");

                postgres.down();

                for (RequestSpecification request : new RequestSpecification[] {
                        api(url, token).basePath("/api/v1/workflows"),
                        api(url, token).basePath("/api/v1/executions"),
                        api(url, token).basePath("/api/v1/workflows/" + workflow)}) {
                    request.get().then().statusCode(503).contentType(startsWith("application/problem+json"))
                            .header("Retry-After", equalTo("5"))
                            .body("type", equalTo("https://bulwark.dev/problems/unavailable"));
                }
                api(url, token).body(Map.of("argument", "during the outage"))
                        .post("/api/v1/workflows/{id}/execute", workflow)
                        .then().statusCode(503).header("Retry-After", equalTo("5"));
                token(url).then().statusCode(503).contentType(startsWith("application/problem+json"))
                        .header("Retry-After", equalTo("5"));
                given().baseUri(url).get("/q/health/ready").then().statusCode(503);

                postgres.up();

                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> api(url, token).get("/api/v1/workflows").statusCode() == 200);
                api(url, token).body(Map.of("argument", "after the outage"))
                        .post("/api/v1/workflows/{id}/execute", workflow).then().statusCode(202);
                token(url).then().statusCode(200);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> given().baseUri(url).get("/q/health/ready").statusCode() == 200);
            } finally {
                service.destroy();
                if (!service.waitFor(20, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
        }
    }

    private static Process start(OwnPostgres postgres, Path workDir, int port, String url) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package workflow-service first");
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("workflow-service.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(freePort()));
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("bulwark_workflow"));
        environment.put("QUARKUS_DATASOURCE_PASSWORD", "");
        environment.put("BULWARK_ISSUER_PRIVATE_KEY", copy("bulwark-test-keys/private.pem", workDir).toString());
        environment.put("BULWARK_ISSUER_PUBLIC_KEY", copy("bulwark-test-keys/public.pem", workDir).toString());
        environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", url + "/.well-known/jwks.json");
        environment.put("BULWARK_REVOCATION_URL", url + "/.well-known/revocations.json");
        environment.put("BULWARK_BOOTSTRAP_ADMIN_EMAIL", ADMIN);
        environment.put("BULWARK_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD);
        return builder.start();
    }

    private static io.restassured.response.Response token(String url) {
        return given().baseUri(url).contentType(ContentType.JSON)
                .body(Map.of("grant_type", "password", "username", ADMIN, "password", PASSWORD))
                .post("/api/v1/auth/token");
    }

    private static RequestSpecification api(String url, String token) {
        return given().baseUri(url).auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** Whether the service answers ready; false while it is not listening yet. */
    private static boolean ready(String url) {
        try {
            return given().baseUri(url).get("/q/health/ready").statusCode() == 200;
        } catch (Exception e) { // RestAssured throws ConnectException undeclared
            return false;
        }
    }

    private static Path copy(String resource, Path dir) throws IOException {
        Path target = dir.resolve(Path.of(resource).getFileName());
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing test resource " + resource));
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
}
