package dev.bulwark.orchestrator.tester.domain;

import dev.bulwark.orchestrator.tester.domain.Finding.Severity;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate rules of the {@code tls} tester: validity window (warning 30 days before expiry), self-signed,
 * trust, host name, key size and signature algorithm of the chain the server presented, each broken rule reported
 * as a finding.
 */
final class CertificateChecks {

    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private CertificateChecks() {
    }

    static void check(X509Certificate[] chain, String host, String location, TesterContext context) {
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        Instant now = Instant.now();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            context.finding(new Finding("certificate-expired", Severity.HIGH, "The certificate has expired", location,
                    subject + " notAfter " + notAfter));
        } else if (now.plus(EXPIRY_WARNING).isAfter(notAfter)) {
            context.finding(new Finding("certificate-expires-soon", Severity.MEDIUM,
                    "The certificate expires within " + EXPIRY_WARNING.toDays() + " days", location,
                    subject + " notAfter " + notAfter));
        }
        if (now.isBefore(notBefore)) {
            context.finding(new Finding("certificate-not-yet-valid", Severity.HIGH, "The certificate is not valid yet",
                    location, subject + " notBefore " + notBefore));
        }
        boolean selfSigned = isSelfSigned(leaf);
        if (selfSigned) {
            context.finding(new Finding("self-signed", Severity.HIGH, "The certificate is self-signed", location,
                    "subject = issuer = " + subject));
        }
        Optional<String> untrusted = untrustedReason(chain);
        if (untrusted.isPresent() && !selfSigned) {
            context.finding(new Finding("untrusted-chain", Severity.HIGH,
                    "The certificate chain does not lead to a trusted root", location, untrusted.get()));
        }
        if (!hostnameMatches(leaf, host)) {
            context.finding(new Finding("hostname-mismatch", Severity.HIGH,
                    "The certificate is not issued for " + host, location, "subject " + subject + ", names "
                    + names(leaf)));
        }
        if (leaf.getPublicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
            context.finding(new Finding("weak-key", Severity.HIGH, "RSA key shorter than 2048 bits", location,
                    rsa.getModulus().bitLength() + "-bit RSA key"));
        } else if (leaf.getPublicKey() instanceof ECPublicKey ec && ec.getParams().getOrder().bitLength() < 256) {
            context.finding(new Finding("weak-key", Severity.HIGH, "EC key shorter than 256 bits", location,
                    ec.getParams().getOrder().bitLength() + "-bit EC key"));
        }
        String algorithm = leaf.getSigAlgName().toUpperCase(Locale.ROOT);
        if (algorithm.contains("MD5") || algorithm.startsWith("SHA1")) {
            context.finding(new Finding("weak-signature", Severity.HIGH, "The certificate is signed with "
                    + leaf.getSigAlgName(), location, "signature algorithm " + leaf.getSigAlgName()));
        }
    }

    private static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Optional<String> untrustedReason(X509Certificate[] chain) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    x509.checkServerTrusted(chain, chain[0].getPublicKey().getAlgorithm());
                    return Optional.empty();
                }
            }
            return Optional.of("no X.509 trust manager available");
        } catch (GeneralSecurityException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    private static boolean hostnameMatches(X509Certificate certificate, String host) {
        boolean ip = TlsHandshakes.IP.matcher(host).matches();
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                    int type = (Integer) entry.get(0);
                    if (type == (ip ? 7 : 2)) {
                        names.add(String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names.isEmpty() && !ip) {
            Matcher cn = Pattern.compile("(?:^|,)CN=([^,]+)").matcher(certificate.getSubjectX500Principal().getName());
            if (cn.find()) {
                names.add(cn.group(1).toLowerCase(Locale.ROOT));
            }
        }
        String wanted = host.toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(name -> name.equals(wanted) || !ip && name.startsWith("*.")
                && wanted.indexOf('.') > 0 && wanted.substring(wanted.indexOf('.')).equals(name.substring(1)));
    }

    private static String names(X509Certificate certificate) {
        try {
            var names = certificate.getSubjectAlternativeNames();
            return names == null ? "(no subject alternative names)" : names.stream().map(e -> String.valueOf(e.get(1)))
                    .toList().toString();
        } catch (CertificateParsingException e) {
            return "(unreadable subject alternative names)";
        }
    }
}
