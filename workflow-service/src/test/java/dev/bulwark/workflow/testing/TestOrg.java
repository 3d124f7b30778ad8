package dev.bulwark.workflow.testing;

import static io.restassured.RestAssured.given;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import dev.bulwark.workflow.identity.domain.IdentityFixture;
import dev.bulwark.workflow.identity.domain.OrgRole;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/**
 * A fresh organisation (a real row, through {@link IdentityFixture}) and tokens of each role acting for it, signed
 * with the test issuer key this service verifies in its test profile. Every test works in its own organisation,
 * so tests share the database and the queue without seeing each other's work.
 */
public final class TestOrg {

    public final UUID id;

    private TestOrg(UUID id) {
        this.id = id;
    }

    public static TestOrg create() {
        return new TestOrg(IdentityFixture.newOrgWith(OrgRole.ADMIN).orgId());
    }

    public String token(String role) {
        return TestTokens.builder().subject(UUID.randomUUID().toString()).org(id.toString()).roles(role).build();
    }

    public RequestSpecification as(String role) {
        return given().auth().oauth2(token(role)).contentType(ContentType.JSON);
    }

    public RequestSpecification admin() {
        return as(Roles.ADMIN);
    }

    public RequestSpecification user() {
        return as(Roles.USER);
    }

    public RequestSpecification reader() {
        return as(Roles.READER);
    }

    public RequestSpecification worker() {
        return as(Roles.WORKER);
    }
}
