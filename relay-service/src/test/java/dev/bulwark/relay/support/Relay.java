package dev.bulwark.relay.support;

import static io.restassured.RestAssured.given;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.bulwark.common.security.Roles;
import dev.bulwark.common.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.ConfigProvider;

/** Shortcuts the relay tests share: tokens, imports, relay calls and unique test values. */
public final class Relay {

    private Relay() {
    }

    public static String clientToken() {
        return TestTokens.withRoles(Roles.RELAY_CLIENT);
    }

    public static String adminToken() {
        return TestTokens.withRoles(Roles.ADMIN);
    }

    /** Imports a feed as admin and answers the report. */
    public static ValidatableResponse importFeed(String format, String source, Integer disposition, String body) {
        var request = given().auth().oauth2(adminToken()).contentType(ContentType.TEXT).body(body)
                .queryParam("format", format).queryParam("source", source);
        if (disposition != null) {
            request.queryParam("disposition", disposition);
        }
        return request.when().post("/api/v1/feeds/import").then();
    }

    /** POSTs a relay call with the given token (null: no Authorization header). */
    public static ValidatableResponse post(String path, String token, String body) {
        var request = given().contentType(ContentType.JSON);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.body(body);
        }
        return request.when().post(path).then();
    }

    public static String observables(String... typeValuePairs) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < typeValuePairs.length; i += 2) {
            json.append(i == 0 ? "" : ",").append("{\"type\":\"").append(typeValuePairs[i])
                    .append("\",\"value\":\"").append(typeValuePairs[i + 1]).append("\"}");
        }
        return json.append("]").toString();
    }

    /** A name no other test uses. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A /24 network base ("a.b.c") in 100.64.0.0/10 that other tests are unlikely to use. */
    public static String uniqueNet() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "100." + (64 + random.nextInt(64)) + "." + random.nextInt(256);
    }

    /** The WireMock client of {@link ThirdPartyServer}. */
    public static WireMock thirdParty() {
        return new WireMock("localhost", Integer.parseInt(jwksHost().split(":")[1]));
    }

    /** The allow-listed JWKS host that answers. */
    public static String jwksHost() {
        return ConfigProvider.getConfig().getValue("bulwark.relay.auth.configuration-tokens.allowed-jwks-hosts",
                String.class).split(",")[0];
    }

    /** An allow-listed JWKS host that the tests make slow. */
    public static String slowJwksHost() {
        return ConfigProvider.getConfig().getValue("bulwark.relay.auth.configuration-tokens.allowed-jwks-hosts",
                String.class).split(",")[1];
    }
}
