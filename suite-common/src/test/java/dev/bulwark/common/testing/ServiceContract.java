package dev.bulwark.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.bulwark.common.security.keys.IssuerTokenFactory;
import io.restassured.RestAssured;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every Bulwark service promises, run against the real infrastructure: health, metrics (on the service's metrics
 * port) and OpenAPI are open;
 * readiness reports each real dependency and the issuer's key set; suite tokens are checked by
 * {@link IssuerTokenFactory} without a worker thread; {@code GET /api/v1/info} needs a valid suite token with an allowed role;
 * unknown routes answer a problem document. A service's test extends this with {@code @QuarkusTest}.
 */
public abstract class ServiceContract {

    /** {@code quarkus.application.name} of the service under test. */
    protected abstract String serviceName();

    /** Names of the readiness checks that must be present and UP. */
    protected abstract String[] readinessChecks();

    /** A role allowed to call {@code /api/v1/info}. */
    protected abstract String allowedRole();

    /** A suite role that must be refused on {@code /api/v1/info}. */
    protected abstract String forbiddenRole();

    /** The port serving {@code /q/metrics}: the public port unless the service has a management interface. */
    protected int metricsPort() {
        return RestAssured.port;
    }

    @Inject
    JWTCallerPrincipalFactory tokenFactory;

    @Test
    public void readinessReportsItsRealDependencies() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(readinessChecks()))
                .body("checks.find { it.name == 'issuer-keys' }.status", equalTo("UP"));
    }

    @Test
    public void suiteTokensAreCheckedWithTheKeySetReadInTheBackground() {
        assertInstanceOf(IssuerTokenFactory.class, tokenFactory);
        assertFalse(ConfigProvider.getConfig().getValue("quarkus.smallrye-jwt.blocking-authentication", Boolean.class),
                "token checks run on the event loop");
    }

    @Test
    public void livenessMetricsAndOpenApiNeedNoToken() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().port(metricsPort()).when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }

    @Test
    public void infoNeedsAValidTokenWithAnAllowedRole() {
        SecurityContract.assertProtected("GET", "/api/v1/info", allowedRole(), forbiddenRole(), 200);
    }

    @Test
    public void infoDescribesServiceAndCaller() {
        given().auth().oauth2(TestTokens.withRoles(allowedRole()))
                .when().get("/api/v1/info")
                .then().statusCode(200)
                .body("service", equalTo(serviceName()))
                .body("subject", equalTo("test-user"))
                .body("org", equalTo(TestTokens.ORG))
                .body("roles", containsInAnyOrder(allowedRole()));
    }

    @Test
    public void unknownRouteIsAProblemDocument() {
        given().auth().oauth2(TestTokens.withRoles(allowedRole()))
                .when().get("/api/v1/no-such-thing")
                .then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(404));
    }
}
