package dev.bulwark.common.security.revocation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5, "measure the cost per request": what the revocation check adds to every authenticated request,
 * against the RS256 signature check every request already pays (the raw baseline, same process). The list holds
 * {@value #ENTRIES} revoked subjects; the checked token is not among them, the common case (two SHA-256 of short
 * strings, two map lookups). Run: {@code ./mvnw -B -o test -pl suite-common -Pbench}.
 */
class RevocationCheckBench {

    private static final int ENTRIES = 10_000;
    private static final int ROUNDS = 200_000;

    @Test
    void revocationCheckCostAgainstTheSignatureCheck() throws Exception {
        StringBuilder document = new StringBuilder("{\"revocations\":[");
        for (int i = 0; i < ENTRIES; i++) {
            document.append(i == 0 ? "" : ",").append("{\"id\":\"").append(RevocationList.hash("user-" + i))
                    .append("\",\"notBefore\":2000000000}");
        }
        byte[] body = document.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        HttpServer issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer.createContext("/.well-known/revocations.json", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.start();
        RevocationList list = new RevocationList(new RevocationConfig() {
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
                return Duration.ofSeconds(60);
            }
        }, Optional.of("http://127.0.0.1:" + issuer.getAddress().getPort()), new ObjectMapper());
        try {
            list.start(null);
            await().atMost(Duration.ofSeconds(60)).until(() -> list.revoked("user-7", null, 1));

            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            // A suite token's signing input is ~600 bytes (header, sub, org, groups, iat, exp, sid, jti).
            byte[] signingInput = "x".repeat(600).getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(signingInput);
            byte[] signature = signer.sign();
            String subject = UUID.randomUUID().toString();
            String credential = UUID.randomUUID().toString();

            for (int warmup = 0; warmup < 3; warmup++) {
                verify(keys, signingInput, signature, ROUNDS / 20);
                check(list, subject, credential, ROUNDS);
            }
            double verifyNs = verify(keys, signingInput, signature, ROUNDS / 20);
            double checkNs = check(list, subject, credential, ROUNDS);
            System.out.printf("%nBENCH revocation check (list of %d): %.0f ns per request; RS256 signature check "
                    + "(raw baseline): %.0f ns; ratio check/signature %.4f%n%n", ENTRIES, checkNs, verifyNs,
                    checkNs / verifyNs);
            System.out.printf("BENCH|common|revocation-check|value=%.0f|unit=ns/request|raw=rs256-verify|ratio=%.4f%n"
                    + "BENCH|common|rs256-verify|value=%.0f|unit=ns/request%n", checkNs, checkNs / verifyNs, verifyNs);
            assertTrue(list.revoked("user-42", null, 1));
        } finally {
            list.stop(null);
            issuer.stop(0);
        }
    }

    private static double verify(KeyPair keys, byte[] input, byte[] signature, int rounds) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            verifier.initVerify(keys.getPublic());
            verifier.update(input);
            if (!verifier.verify(signature)) {
                throw new AssertionError("signature did not verify");
            }
        }
        return (System.nanoTime() - start) / (double) rounds;
    }

    private static double check(RevocationList list, String subject, String credential, int rounds) {
        long start = System.nanoTime();
        int revoked = 0;
        for (int i = 0; i < rounds; i++) {
            revoked += list.revoked(subject, credential, 1_700_000_000L) ? 1 : 0;
        }
        if (revoked != 0) {
            throw new AssertionError("an unlisted token counted as revoked");
        }
        return (System.nanoTime() - start) / (double) rounds;
    }
}
