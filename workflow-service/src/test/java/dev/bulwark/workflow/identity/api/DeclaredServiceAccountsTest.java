package dev.bulwark.workflow.identity.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;

import dev.bulwark.workflow.identity.domain.DeclaredServiceAccounts;
import dev.bulwark.workflow.identity.domain.DeclaredServiceAccounts.Outcome;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Issue 15 item 4: service accounts declared as files, provisioned at start, idempotent, rotated on change. */
@QuarkusTest
class DeclaredServiceAccountsTest {

    @Inject
    DeclaredServiceAccounts declared;

    @Test
    void theAccountDeclaredInTheTestConfigurationWasCreatedAtStart() {
        String token = Login.token(Map.of("grant_type", "client_credentials", "client_id", "sa-declared-test-worker",
                "client_secret", "test-only-declared-secret-0123456789"));
        given().auth().oauth2(token).when().get("/api/v1/info").then().statusCode(200)
                .body("roles", contains("worker"));
    }

    @Test
    void provisioningIsIdempotentAndAChangedSecretRotatesAndRevokes() throws IOException {
        List<String> logs = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (logs) {
                    logs.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        try {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String clientId = "sa-decl-" + suffix;
            String first = "first-secret-" + UUID.randomUUID();
            String second = "second-secret-" + UUID.randomUUID();
            Path dir = Files.createTempDirectory("declared");
            Path account = Files.createDirectories(dir.resolve("dispatcher-" + suffix));
            Files.createDirectories(dir.resolve("..data"));
            Files.writeString(account.resolve("client-id"), clientId + "\n");
            Files.writeString(account.resolve("client-secret"), first + "\n");
            Files.writeString(account.resolve("roles"), "dispatcher\n");

            assertThat(declared.provision(dir)).containsExactly(new Outcome("dispatcher-" + suffix, clientId, "created"));
            String before = token(clientId, first);
            assertThat(declared.provision(dir)).extracting(Outcome::change).containsExactly("unchanged");
            given().auth().oauth2(before).when().get("/api/v1/info").then().statusCode(200);

            Files.writeString(account.resolve("client-secret"), second);
            assertThat(declared.provision(dir)).extracting(Outcome::change).containsExactly("rotated");
            given().contentType(ContentType.JSON).body(Map.of("grant_type", "client_credentials",
                            "client_id", clientId, "client_secret", first))
                    .when().post("/api/v1/auth/token").then().statusCode(401);
            String after = token(clientId, second);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().auth().oauth2(before).when().get("/api/v1/info").then().statusCode(401));
            given().auth().oauth2(after).when().get("/api/v1/info").then().statusCode(200)
                    .body("roles", contains("dispatcher"));

            synchronized (logs) {
                assertThat(logs).isNotEmpty().noneMatch(line -> line.contains(first) || line.contains(second));
            }

            // A regenerated declaration (new client id, same name) against the kept database replaces the account.
            String renewedId = clientId + "-new";
            Files.writeString(account.resolve("client-id"), renewedId);
            assertThat(declared.provision(dir)).extracting(Outcome::change).containsExactly("created");
            given().contentType(ContentType.JSON).body(Map.of("grant_type", "client_credentials",
                            "client_id", clientId, "client_secret", second))
                    .when().post("/api/v1/auth/token").then().statusCode(401);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().auth().oauth2(after).when().get("/api/v1/info").then().statusCode(401));
            given().auth().oauth2(token(renewedId, second)).when().get("/api/v1/info").then().statusCode(200);

            Files.writeString(account.resolve("roles"), "admin");
            assertThatThrownBy(() -> declared.provision(dir)).hasMessageContaining("roles must be a non-empty subset");
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
    }

    private static String token(String clientId, String secret) {
        return Login.token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }
}
