package dev.bulwark.orchestrator.tester.domain;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS context that accepts any certificate. Testers must reach systems with broken certificates to test them;
 * judging the certificate is the {@code tls} tester's job, which does it explicitly.
 *
 * <p>The manager is an {@link X509ExtendedTrustManager} on purpose: the JDK wraps a plain {@code X509TrustManager}
 * in one that still verifies the host name when the connection asks for endpoint identification (as
 * {@code java.net.http.HttpClient} does), which fails on a certificate without subject alternative names.
 */
final class TrustAll {

    private static final X509ExtendedTrustManager ACCEPT_ANY = new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // probing client: client certificates are never checked
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // probing client: client certificates are never checked
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // probing client: client certificates are never checked
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // probing client: the tls tester evaluates the chain itself
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // no host name check either: the tls tester reports a mismatch as a finding
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // no host name check either: the tls tester reports a mismatch as a finding
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
