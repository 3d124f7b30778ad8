package dev.bulwark.orchestrator.domain.tester;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS context that accepts any certificate. Testers must reach systems with broken certificates to test them;
 * judging the certificate is the {@code tls} tester's job, which does it explicitly.
 */
final class TrustAll {

    private static final X509TrustManager ACCEPT_ANY = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // probing client: client certificates are never checked
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // probing client: the tls tester evaluates the chain itself
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private TrustAll() {
    }

    static SSLContext context(String protocol) {
        try {
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, new TrustManager[] {ACCEPT_ANY}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("No " + protocol + " context in this JDK", e);
        }
    }
}
