package dev.bulwark.workflow.identity.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.bulwark.workflow.identity.domain.IdentityFixture;
import dev.bulwark.workflow.identity.domain.IdentityFixture.TestUser;
import dev.bulwark.workflow.identity.domain.OrgRole;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LockoutTest {

    @Test
    void fiveFailuresLockTheAccountEvenForTheRightPassword() {
        TestUser user = IdentityFixture.newOrgWith(OrgRole.USER);
        for (int i = 0; i < 5; i++) {
            attempt(user.email(), "Wrong-Password-" + i).then().statusCode(401);
        }
        attempt(user.email(), IdentityFixture.PASSWORD)
                .then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("status", equalTo(429));
    }

    @Test
    void lockingOneAccountLeavesOthersAlone() {
        TestUser locked = IdentityFixture.newOrgWith(OrgRole.USER);
        TestUser other = IdentityFixture.newMember(locked.orgId(), OrgRole.USER);
        for (int i = 0; i < 5; i++) {
            attempt(locked.email(), "Wrong-Password-" + i).then().statusCode(401);
        }
        attempt(other.email(), IdentityFixture.PASSWORD).then().statusCode(200);
    }

    @Test
    void aSuccessResetsTheCount() {
        TestUser user = IdentityFixture.newOrgWith(OrgRole.READER);
        for (int i = 0; i < 4; i++) {
            attempt(user.email(), "Wrong-Password-" + i).then().statusCode(401);
        }
        attempt(user.email(), IdentityFixture.PASSWORD).then().statusCode(200);
        for (int i = 0; i < 4; i++) {
            attempt(user.email(), "Wrong-Password-" + i).then().statusCode(401);
        }
        attempt(user.email(), IdentityFixture.PASSWORD).then().statusCode(200);
    }

    private static io.restassured.response.Response attempt(String email, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "password", "username", email, "password", password))
                .when().post("/api/v1/auth/token");
    }
}
