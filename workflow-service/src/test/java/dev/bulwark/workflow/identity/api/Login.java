package dev.bulwark.workflow.identity.api;

import static io.restassured.RestAssured.given;

import dev.bulwark.workflow.identity.domain.IdentityFixture;
import io.restassured.http.ContentType;
import java.util.Map;

/** Signs in through the real token endpoint. */
final class Login {

    private Login() {
    }

    static String password(String email) {
        return token(Map.of("grant_type", "password", "username", email, "password", IdentityFixture.PASSWORD));
    }

    static String password(IdentityFixture.TestUser user) {
        return password(user.email());
    }

    static String token(Map<String, String> request) {
        return given().contentType(ContentType.JSON).body(request)
                .when().post("/api/v1/auth/token")
                .then().statusCode(200)
                .extract().path("access_token");
    }
}
