package dev.bulwark.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.specification.RequestSpecification;

/**
 * The security behaviour every protected endpoint of the suite shares, checked in one call: no token, a bad token
 * (expired, tampered, wrong issuer, foreign key, wrong audience) → 401 problem; a valid token with the wrong role → 403 problem;
 * a valid token with an allowed role → the expected success status.
 */
public final class SecurityContract {

    private SecurityContract() {
    }

    public static void assertProtected(String method, String path, String allowedRole, String forbiddenRole,
                                       int successStatus) {
        expectProblem(given(), method, path, 401);
        for (String bad : new String[] {TestTokens.expired(allowedRole), TestTokens.tampered(forbiddenRole),
                TestTokens.wrongIssuer(allowedRole), TestTokens.signedByUntrustedKey(allowedRole),
                TestTokens.builder().roles(allowedRole).audience("another-audience").build()}) {
            expectProblem(given().auth().oauth2(bad), method, path, 401);
        }
        expectProblem(given().auth().oauth2(TestTokens.withRoles(forbiddenRole)), method, path, 403);
        given().auth().oauth2(TestTokens.withRoles(allowedRole))
                .when().request(method, path)
                .then().statusCode(successStatus);
    }

    private static void expectProblem(RequestSpecification request, String method, String path, int status) {
        request.when().request(method, path)
                .then().statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status));
    }
}
