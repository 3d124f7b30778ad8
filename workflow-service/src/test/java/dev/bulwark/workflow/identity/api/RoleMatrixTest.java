package dev.bulwark.workflow.identity.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.bulwark.workflow.identity.domain.IdentityFixture;
import dev.bulwark.workflow.identity.domain.IdentityFixture.TestUser;
import dev.bulwark.workflow.identity.domain.OrgRole;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RoleMatrixTest {

    @Test
    void onlyAdminsManageMembersAndServiceAccounts() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        String reader = Login.password(IdentityFixture.newMember(admin.orgId(), OrgRole.READER));
        String user = Login.password(IdentityFixture.newMember(admin.orgId(), OrgRole.USER));
        Map<String, String> newMember = Map.of("email", "new-" + UUID.randomUUID() + "@example.org",
                "password", "Another-Strong-Pass-7", "role", "reader");

        for (String token : List.of(reader, user)) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(newMember)
                    .when().post("/api/v1/orgs/{org}/members", admin.orgId()).then().statusCode(403);
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("name", "w", "roles", List.of("worker")))
                    .when().post("/api/v1/service-accounts").then().statusCode(403);
        }

        String adminToken = Login.password(admin);
        given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(newMember)
                .when().post("/api/v1/orgs/{org}/members", admin.orgId())
                .then().statusCode(202).body("role", equalTo("reader"));
        given().auth().oauth2(adminToken).when().get("/api/v1/orgs/{org}/members", admin.orgId())
                .then().statusCode(200).body("email", hasItem(newMember.get("email")));
        Login.token(Map.of("grant_type", "password", "username", newMember.get("email"),
                "password", newMember.get("password")));
    }

    @Test
    void anAdminManagesOnlyTheOrganisationTheTokenActsFor() {
        TestUser mine = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        TestUser other = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        given().auth().oauth2(Login.password(mine)).contentType(ContentType.JSON)
                .body(Map.of("email", mine.email(), "role", "admin"))
                .when().post("/api/v1/orgs/{org}/members", other.orgId())
                .then().statusCode(403);
    }

    @Test
    void weakPasswordsAndUnknownRolesAreRejectedWithTheReason() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        String token = Login.password(admin);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("email", "weak-" + UUID.randomUUID() + "@example.org", "password", "short", "role", "user"))
                .when().post("/api/v1/orgs/{org}/members", admin.orgId())
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("at least 12 characters"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "bad-role", "roles", List.of("admin")))
                .when().post("/api/v1/service-accounts")
                .then().statusCode(400);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("email", "not-an-email", "role", "user"))
                .when().post("/api/v1/orgs/{org}/members", admin.orgId())
                .then().statusCode(400).body("errors.field", hasItem("email"));
    }

    @Test
    void theLastAdminCannotBeDemoted() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        given().auth().oauth2(Login.password(admin)).contentType(ContentType.JSON).body(Map.of("role", "user"))
                .when().put("/api/v1/orgs/{org}/members/{user}", admin.orgId(), admin.id())
                .then().statusCode(409);
    }
}
