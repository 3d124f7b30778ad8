package dev.bulwark.workflow.identity.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.bulwark.workflow.identity.domain.IdentityFixture;
import dev.bulwark.workflow.identity.domain.IdentityFixture.TestUser;
import dev.bulwark.workflow.identity.domain.OrgRole;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 12 item 4: nobody joins an organisation without accepting, and the answer never tells who exists. */
@QuarkusTest
class InvitationTest {

    @Test
    void anExistingUserIsInvitedAndJoinsOnlyOnAccepting() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        TestUser outsider = IdentityFixture.newOrgWith(OrgRole.USER);
        String adminToken = Login.password(admin);
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("email", outsider.email(), "role", "user"))
                .when().post("/api/v1/orgs/{org}/members", admin.orgId()).then().statusCode(202);

        // Not a member yet: not listed, and the password grant for that organisation fails.
        given().auth().oauth2(adminToken).when().get("/api/v1/orgs/{org}/members", admin.orgId())
                .then().statusCode(200).body("email", not(hasItem(outsider.email())));
        given().contentType(ContentType.JSON).body(Map.of("grant_type", "password", "username", outsider.email(),
                        "password", IdentityFixture.PASSWORD, "org", admin.orgId().toString()))
                .when().post("/api/v1/auth/token").then().statusCode(401);

        String outsiderToken = Login.password(outsider);
        String id = given().auth().oauth2(outsiderToken).when().get("/api/v1/invitations").then().statusCode(200)
                .body("org", equalTo(List.of(admin.orgId().toString())))
                .body("orgName", equalTo(List.of(admin.orgName())))
                .body("role", equalTo(List.of("user")))
                .extract().path("[0].id");
        // Nobody else can accept it.
        String someoneElse = Login.password(IdentityFixture.newOrgWith(OrgRole.ADMIN));
        given().auth().oauth2(someoneElse).when().post("/api/v1/invitations/{id}/accept", id).then().statusCode(404);
        given().auth().oauth2(someoneElse).when().get("/api/v1/invitations").then().statusCode(200)
                .body("id", equalTo(List.of()));

        given().auth().oauth2(outsiderToken).when().post("/api/v1/invitations/{id}/accept", id).then().statusCode(200)
                .body("id", equalTo(admin.orgId().toString())).body("role", equalTo("user"));
        given().auth().oauth2(adminToken).when().get("/api/v1/orgs/{org}/members", admin.orgId())
                .then().statusCode(200).body("email", hasItem(outsider.email()));
        Login.token(Map.of("grant_type", "password", "username", outsider.email(),
                "password", IdentityFixture.PASSWORD, "org", admin.orgId().toString()));
        given().auth().oauth2(outsiderToken).when().post("/api/v1/invitations/{id}/accept", id).then().statusCode(404);
    }

    @Test
    void aDeclinedInvitationIsGone() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        TestUser outsider = IdentityFixture.newOrgWith(OrgRole.USER);
        given().auth().oauth2(Login.password(admin)).contentType(ContentType.JSON)
                .body(Map.of("email", outsider.email(), "role", "admin"))
                .when().post("/api/v1/orgs/{org}/members", admin.orgId()).then().statusCode(202);
        String token = Login.password(outsider);
        String id = given().auth().oauth2(token).when().get("/api/v1/invitations").then().extract().path("[0].id");
        given().auth().oauth2(token).when().post("/api/v1/invitations/{id}/decline", id).then().statusCode(204);
        given().auth().oauth2(token).when().get("/api/v1/invitations").then().body("id", equalTo(List.of()));
        given().auth().oauth2(token).when().post("/api/v1/invitations/{id}/accept", id).then().statusCode(404);
    }

    @Test
    void theAnswerForAnUnknownAddressIsTheSameAsForAKnownOne() {
        TestUser admin = IdentityFixture.newOrgWith(OrgRole.ADMIN);
        TestUser known = IdentityFixture.newOrgWith(OrgRole.USER);
        String unknown = "nobody-" + UUID.randomUUID() + "@example.org";
        String adminToken = Login.password(admin);

        ExtractableResponse<Response> toKnown = add(adminToken, admin, Map.of("email", known.email(), "role", "user"));
        ExtractableResponse<Response> toUnknown = add(adminToken, admin, Map.of("email", unknown, "role", "user"));
        assertThat(toUnknown.statusCode()).isEqualTo(toKnown.statusCode()).isEqualTo(202);
        assertThat(toUnknown.asString().replace(unknown, "ADDRESS"))
                .isEqualTo(toKnown.asString().replace(known.email(), "ADDRESS"));
        assertThat(toUnknown.headers().asList().stream().map(h -> h.getName()).sorted().toList())
                .isEqualTo(toKnown.headers().asList().stream().map(h -> h.getName()).sorted().toList());

        // With a password too: an unknown address becomes a member at once, a known one is only invited,
        // and the caller cannot tell which happened.
        String fresh = "fresh-" + UUID.randomUUID() + "@example.org";
        ExtractableResponse<Response> createKnown = add(adminToken, admin,
                Map.of("email", known.email(), "password", "Another-Strong-Pass-7", "role", "reader"));
        ExtractableResponse<Response> createUnknown = add(adminToken, admin,
                Map.of("email", fresh, "password", "Another-Strong-Pass-7", "role", "reader"));
        assertThat(createUnknown.statusCode()).isEqualTo(createKnown.statusCode()).isEqualTo(202);
        assertThat(createUnknown.asString().replace(fresh, "ADDRESS"))
                .isEqualTo(createKnown.asString().replace(known.email(), "ADDRESS"));
        // The known user's password did not change: the given one was not applied to their account.
        given().contentType(ContentType.JSON).body(Map.of("grant_type", "password", "username", known.email(),
                "password", "Another-Strong-Pass-7")).when().post("/api/v1/auth/token").then().statusCode(401);
        Login.token(Map.of("grant_type", "password", "username", fresh, "password", "Another-Strong-Pass-7"));
    }

    private static ExtractableResponse<Response> add(String token, TestUser admin, Map<String, String> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/orgs/{org}/members", admin.orgId()).then().extract();
    }
}
