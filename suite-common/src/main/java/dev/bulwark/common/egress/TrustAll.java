package dev.bulwark.common.egress;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS context that accepts any server certificate and skips the host name check. Never a default: only for a call
 * whose caller asked not to verify TLS (worker-agent's {@code http} app with {@code verifyTls=false}) or that must
 * reach broken certificates to judge them (orchestrator's testers). The egress policy still applies to such calls.
 *
 * <p>The manager is an {@link X509ExtendedTrustManager} on purpose: the JDK wraps a plain {@code X509TrustManager}
 * in one that still verifies the host name when the connection asks for endpoint identification (as
 * {@code java.net.http.HttpClient} does), which fails on a certificate without subject alternative names.
 */
public final class TrustAll {

    private static final X509ExtendedTrustManager ACCEPT_ANY = new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // a client context: client certificates are never checked
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // a client context: client certificates are never checked
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // a client context: client certificates are never checked
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // any chain: that is the point of this context
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // any chain and no host name check
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // any chain and no host name check
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private TrustAll() {
    }

    /** A new context of that protocol ({@code "TLS"}, {@code "TLSv1.2"}…) trusting any server certificate. */
    public static SSLContext context(String protocol) {
        try {
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, new TrustManager[] {ACCEPT_ANY}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("No " + protocol + " context in this JDK", e);
        }
    }
}
