package dev.bulwark.common.security.revocation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RevocationListTest {

    @Test
    void tokensIssuedBeforeTheirSubjectOrCredentialWasRevokedAreRefused() throws Exception {
        AtomicReference<String> document = new AtomicReference<>("{\"revocations\":[]}");
        HttpServer issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer.createContext("/.well-known/revocations.json", exchange -> {
            byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.start();
        RevocationList list = new RevocationList(config(), Optional.of("http://127.0.0.1:"
                + issuer.getAddress().getPort() + "/"), new ObjectMapper());
        try {
            list.start(null);
            assertFalse(list.revoked("user-1", null, 1_000));
            document.set("{\"revocations\":[{\"id\":\"" + RevocationList.hash("user-1") + "\",\"notBefore\":2000},"
                    + "{\"id\":\"" + RevocationList.hash("key-7") + "\",\"notBefore\":3000}]}");
            await().atMost(Duration.ofSeconds(60)).until(() -> list.revoked("user-1", null, 1_999));
            assertFalse(list.revoked("user-1", null, 2_000), "a token minted after the revocation is valid");
            assertTrue(list.revoked("user-2", "key-7", 2_500), "the credential alone is revoked");
            assertFalse(list.revoked("user-2", "key-8", 2_500));
            assertEquals(64, RevocationList.hash("x").length());
        } finally {
            list.stop(null);
            issuer.stop(0);
        }
    }

    private static RevocationConfig config() {
        return new RevocationConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Optional<String> url() {
                return Optional.empty();
            }

            @Override
            public Duration refresh() {
                return Duration.ofMillis(100);
            }
        };
    }
}
