package dev.bulwark.workflow.database.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.common.error.Problem;
import dev.bulwark.common.error.DatabaseUnavailable;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.core.Response;
import java.net.ServerSocket;
import java.sql.DriverManager;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/**
 * A real refused PostgreSQL connection (a port nothing listens on), wrapped as Hibernate wraps it when the pool
 * cannot connect, answers 503 with Retry-After; other failures stay 500. {@code DatabaseOutageIT} stops a real
 * PostgreSQL under the packaged service.
 */
@QuarkusTest
class DatabaseUnavailableTest {

    @Test
    void aRefusedConnectionAnswers503WithRetryAfter() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Throwable refused = catchThrowable(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/bulwark_workflow?connectTimeout=2", "bulwark", "bulwark"));
        assertThat(refused).isNotNull();

        Response response = new DatabaseUnavailableMapper().map(
                new JDBCConnectionException("Unable to acquire JDBC Connection", (java.sql.SQLException) refused), null);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.type()).isEqualTo(Problem.TYPE_PREFIX + "unavailable");
        assertThat(problem.detail()).contains("database is unavailable");
        assertThat(DatabaseUnavailable.causes(new IllegalStateException("Claiming tasks failed", refused))).isTrue();
    }

    @Test
    void otherFailuresStayInternalErrors() {
        Response response = new DatabaseUnavailableMapper().map(new IllegalStateException("a bug"), null);
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeaderString("Retry-After")).isNull();
    }
}
