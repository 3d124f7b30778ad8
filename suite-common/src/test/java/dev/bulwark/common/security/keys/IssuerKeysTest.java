package dev.bulwark.common.security.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IssuerKeysTest {

    private static final String ISSUER = "http://issuer.test";
    private static final Duration RETRY = Duration.ofMillis(300);

    private final AtomicReference<String> document = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger reads = new AtomicInteger();
    private HttpServer server;
    private boolean serverStopped;
    private IssuerKeys keys;
    private IssuerTokenFactory factory;
    private JWTAuthContextInfo info;
    private static RsaJsonWebKey first;
    private static RsaJsonWebKey second;

    @BeforeAll
    static void keyPairs() throws Exception {
        first = key("first");
        second = key("second");
    }

    @BeforeEach
    void issuer() throws Exception {
        document.set(jwks(first));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            reads.incrementAndGet();
            byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
        keys = new IssuerKeys(config(), Optional.of(url), Optional.empty());
        factory = new IssuerTokenFactory(keys);
        info = new JWTAuthContextInfo(url, ISSUER);
        info.setExpectedAudience(Set.of("bulwark"));
    }

    @AfterEach
    void stop() {
        keys.stop(null);
        if (!serverStopped) {
            server.stop(0);
        }
    }

    @Test
    void tokensAreCheckedAgainstTheKeySetReadInTheBackgroundWithoutAskingTheIssuer() throws Exception {
        assertTrue(keys.managed());
        assertFalse(keys.ready(), "nothing read before start");
        keys.start(null);
        await().atMost(Duration.ofSeconds(30)).until(keys::ready);
        int before = reads.get();
        for (int i = 0; i < 20; i++) {
            assertEquals("user-" + i, factory.parse(token(first, ISSUER, "user-" + i, 300), info).getName());
        }
        assertEquals(before, reads.get(), "a token check never reads the key set");

        server.stop(0);
        serverStopped = true;
        assertEquals("user", factory.parse(token(first, ISSUER, "user", 300), info).getName(),
                "the keys read before stay in use while the issuer does not answer");
    }

    @Test
    void theChecksOfSmallryeJwtStillApply() throws Exception {
        keys.start(null);
        await().atMost(Duration.ofSeconds(30)).until(keys::ready);
        assertThrows(ParseException.class, () -> factory.parse(token(first, "http://elsewhere", "u", 300), info),
                "another issuer");
        assertThrows(ParseException.class, () -> factory.parse(token(first, ISSUER, "u", -120), info), "expired");
        String forged = token(second, ISSUER, "u", 300).replaceFirst("^[^.]+",
                token(first, ISSUER, "u", 300).split("\\.")[0]);
        assertThrows(ParseException.class, () -> factory.parse(forged, info), "signed by a key the issuer never had");
    }

    @Test
    void anUnknownKeyIdIsRefusedAtOnceAndReadSoonAfterAtMostOncePerRetry() throws Exception {
        keys.start(null);
        await().atMost(Duration.ofSeconds(30)).until(keys::ready);
        String rotated = token(second, ISSUER, "after-rotation", 300);
        assertThrows(ParseException.class, () -> factory.parse(rotated, info));

        int before = reads.get();
        String signed = token(first, ISSUER, "u", 300);
        long start = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            String forged = withKeyId(signed, "forged-" + i);
            assertThrows(ParseException.class, () -> factory.parse(forged, info));
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        int extra = reads.get() - before;
        assertTrue(extra <= elapsedMillis / RETRY.toMillis() + 2,
                extra + " reads of the key set for 500 unknown key ids in " + elapsedMillis + " ms");

        document.set(jwks(first, second));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> "after-rotation".equals(factory.parse(rotated, info).getName()));
    }

    @Test
    void aTokenThatPassedIsRememberedUntilItExpiresOrTheKeySetChanges() throws Exception {
        keys.start(null);
        await().atMost(Duration.ofSeconds(30)).until(keys::ready);
        String token = token(first, ISSUER, "user", 300);
        JsonWebToken checked = factory.parse(token, info);
        assertSame(checked, factory.parse(token, info), "the same token is not checked twice");

        Object before = keys.current();
        document.set(jwks(first, second));
        String unknown = token(first, "unknown", ISSUER, "u", 300);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThrows(ParseException.class, () -> factory.parse(unknown, info));
            return keys.current() != before;
        });
        JsonWebToken again = factory.parse(token, info);
        assertNotSame(checked, again, "checked again against the new key set");
        assertEquals("user", again.getName());

        JWTAuthContextInfo strict = new JWTAuthContextInfo(info);
        strict.setExpGracePeriodSecs(1);
        String shortLived = token(first, ISSUER, "short", 1);
        assertEquals("short", factory.parse(shortLived, strict).getName());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                factory.parse(shortLived, strict);
                return false;
            } catch (ParseException expired) {
                return true;
            }
        });
    }

    @Test
    void aFailedReadKeepsTheKeysAndAnUnreadableSetKeepsTheServiceUnready() throws Exception {
        status.set(503);
        keys.start(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> reads.get() >= 2);
        assertFalse(keys.ready());
        assertThrows(ParseException.class, () -> factory.parse(token(first, ISSUER, "u", 300), info));

        status.set(200);
        await().atMost(Duration.ofSeconds(30)).until(keys::ready);
        document.set("{\"keys\":[]}");
        int before = reads.get();
        String unknown = token(first, "unknown", ISSUER, "u", 300);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThrows(ParseException.class, () -> factory.parse(unknown, info));
            return reads.get() > before;
        });
        assertEquals("u", factory.parse(token(first, ISSUER, "u", 300), info).getName(),
                "an empty key set read later does not replace the keys read before");
    }

    @Test
    void aKeyFileOrTheIssuersOwnKeysAreNotFetched() throws Exception {
        IssuerKeys file = new IssuerKeys(config(), Optional.of("bulwark-test-keys/public.pem"), Optional.empty());
        assertFalse(file.managed());
        assertTrue(file.ready());

        String own = jwks(first);
        IssuerKeys issuer = new IssuerKeys(config(), Optional.of("http://127.0.0.1:1/.well-known/jwks.json"),
                Optional.<LocalIssuerKeys>of(() -> own));
        assertTrue(issuer.managed());
        assertTrue(issuer.ready());
        assertEquals("self", new IssuerTokenFactory(issuer).parse(token(first, ISSUER, "self", 300), info).getName());
    }

    private static RsaJsonWebKey key(String id) throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(id);
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        key.setUse("sig");
        return key;
    }

    private static String jwks(RsaJsonWebKey... keys) {
        return new JsonWebKeySet(List.<JsonWebKey>of(keys)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private static String token(RsaJsonWebKey key, String issuer, String subject, long expiresInSeconds)
            throws Exception {
        return token(key, key.getKeyId(), issuer, subject, expiresInSeconds);
    }

    private static String token(RsaJsonWebKey key, String kid, String issuer, String subject, long expiresInSeconds)
            throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience("bulwark");
        claims.setSubject(subject);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(expiresInSeconds / 60f);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    /** The token with its header naming another key: what a forger sends, signed by nobody that key belongs to. */
    private static String withKeyId(String token, String kid) {
        String header = "{\"kid\":\"" + kid + "\",\"alg\":\"RS256\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8))
                + token.substring(token.indexOf('.'));
    }

    private static IssuerKeysConfig config() {
        return new IssuerKeysConfig() {
            @Override
            public Duration refresh() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration retry() {
                return RETRY;
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
